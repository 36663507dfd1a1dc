<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About ecgviewer</source>
        <translation>Acerca de ecgviewer</translation>
    </message>
    <message>
        <source>%1 (build %2, runs on %3)</source>
        <translation>%1 (compilación %2, se ejecuta en %3)</translation>
    </message>
    <message>
        <source>tracings installed</source>
        <translation>trazados instalados</translation>
    </message>
    <message>
        <source>tracings not installed</source>
        <translation>trazados no instalados</translation>
    </message>
    <message>
        <source>build %1, %2 cases, %3</source>
        <translation>compilación %1, %2 casos, %3</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Case base</source>
        <translation>Base de casos</translation>
    </message>
    <message>
        <source>Model and case base</source>
        <translation>Modelo y base de casos</translation>
    </message>
    <message>
        <source>not loaded yet: open an ECG first</source>
        <translation>aún no cargados: abra primero un ECG</translation>
    </message>
    <message>
        <source>Offline ECG viewer and similar-case retrieval</source>
        <translation>Visor de ECG sin conexión y búsqueda de casos similares</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Instalado</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Datos</translation>
    </message>
    <message>
        <source>The similar cases and their reports come from PTB-XL, a large publicly available electrocardiography dataset, used under the Creative Commons Attribution 4.0 licence:</source>
        <translation>Los casos similares y sus informes proceden de PTB-XL, un gran conjunto de datos de electrocardiografía de acceso público, utilizado bajo la licencia Creative Commons Atribución 4.0:</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Unexpected error: %1. Details are in the log file %2.</source>
        <extracomment>A screenshot run gives up after this long (a hung search must not hang a CI job).</extracomment>
        <translation>Error inesperado: %1. Los detalles están en el archivo de registro %2.</translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <source>Edit clinic case</source>
        <translation>Editar caso de la clínica</translation>
    </message>
    <message>
        <source>Save as a confirmed case</source>
        <translation>Guardar como caso confirmado</translation>
    </message>
    <message>
        <source>Search statements (code or words)…</source>
        <translation>Buscar diagnósticos (código o palabras)…</translation>
    </message>
    <message>
        <source>The report, as the cardiologist would write it</source>
        <translation>El informe, tal como lo escribiría el cardiólogo</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>female</source>
        <translation>mujer</translation>
    </message>
    <message>
        <source>male</source>
        <translation>hombre</translation>
    </message>
    <message>
        <source>optional; a pseudonymous reference, never a name</source>
        <translation>opcional; una referencia seudónima, nunca un nombre</translation>
    </message>
    <message>
        <source>Report:</source>
        <translation>Informe:</translation>
    </message>
    <message>
        <source>Age:</source>
        <translation>Edad:</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>Sexo:</translation>
    </message>
    <message>
        <source>Patient reference:</source>
        <translation>Referencia del paciente:</translation>
    </message>
    <message>
        <source>Confirmed by:</source>
        <translation>Confirmado por:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Confirmed statements (check one or more):</source>
        <translation>Diagnósticos confirmados (marque uno o varios):</translation>
    </message>
    <message>
        <source>Confirmed: %1</source>
        <translation>Confirmados: %1</translation>
    </message>
    <message>
        <source>No statement checked yet.</source>
        <translation>Aún no hay ningún diagnóstico marcado.</translation>
    </message>
    <message>
        <source>Case not saved</source>
        <translation>Caso no guardado</translation>
    </message>
</context>
<context>
    <name>CasesPanel</name>
    <message>
        <source>female</source>
        <translation>mujer</translation>
    </message>
    <message>
        <source>male</source>
        <translation>hombre</translation>
    </message>
    <message>
        <source>%1 y</source>
        <translation>%1 años</translation>
    </message>
    <message>
        <source>no statements</source>
        <translation>sin diagnósticos</translation>
    </message>
    <message>
        <source>Similar confirmed cases</source>
        <translation>Casos confirmados similares</translation>
    </message>
    <message>
        <source>Similarity combines how alike the tracings look and how well each case&apos;s confirmed findings match what the model reads in this ECG. It is not a diagnosis: these cases support, and do not replace, your own reading of the ECG.</source>
        <translation>La similitud combina cuánto se parecen los trazados y en qué medida los hallazgos confirmados de cada caso coinciden con lo que el modelo lee en este ECG. No es un diagnóstico: estos casos apoyan su propia lectura del ECG, no la sustituyen.</translation>
    </message>
    <message>
        <source>Cases whose heart rate and rhythm regularity match this ECG&apos;s are listed first.</source>
        <translation>Los casos cuya frecuencia cardíaca y regularidad del ritmo coinciden con este ECG aparecen primero.</translation>
    </message>
    <message>
        <source>Open an ECG to see similar cases.</source>
        <translation>Abra un ECG para ver casos similares.</translation>
    </message>
    <message>
        <source>Select a case to see its statements and report.</source>
        <translation>Seleccione un caso para ver sus diagnósticos y su informe.</translation>
    </message>
    <message>
        <source>age and sex unknown</source>
        <translation>edad y sexo desconocidos</translation>
    </message>
    <message>
        <source>This clinic · %1</source>
        <translation>Esta clínica · %1</translation>
    </message>
    <message>
        <source>Most frequent among these cases: %1</source>
        <translation>Más frecuentes entre estos casos: %1</translation>
    </message>
    <message>
        <source>also in %1 of %2 other similar cases</source>
        <translation>también en %1 de los otros %2 casos similares</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Diagnóstico</translation>
    </message>
    <message>
        <source>Likelihood</source>
        <translation>Probabilidad</translation>
    </message>
    <message>
        <source>Case %1 — %2% similar</source>
        <translation>Caso %1 — similar en un %2 %</translation>
    </message>
    <message>
        <source>No report.</source>
        <translation>Sin informe.</translation>
    </message>
    <message>
        <source>Highlighted: statements that recur among the other similar cases.</source>
        <translation>Resaltados: diagnósticos que se repiten en los otros casos similares.</translation>
    </message>
    <message>
        <source>Original report (as written by the cardiologist)</source>
        <translation>Informe original (tal como lo redactó el cardiólogo)</translation>
    </message>
</context>
<context>
    <name>ClinicCasesDialog</name>
    <message>
        <source>Clinic cases</source>
        <translation>Casos de la clínica</translation>
    </message>
    <message>
        <source>Saved in %1</source>
        <translation>Guardados en %1</translation>
    </message>
    <message>
        <source>Show one patient reference only</source>
        <translation>Mostrar solo una referencia de paciente</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Caso</translation>
    </message>
    <message>
        <source>Statements</source>
        <translation>Diagnósticos</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referencia</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmado</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Informe</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Eliminar…</translation>
    </message>
    <message>
        <source>Export bundle…</source>
        <translation>Exportar paquete…</translation>
    </message>
    <message>
        <source>Import bundle…</source>
        <translation>Importar paquete…</translation>
    </message>
    <message>
        <source>Re-encode</source>
        <translation>Recodificar</translation>
    </message>
    <message>
        <source>Earlier ECGs of this patient…</source>
        <translation>ECG anteriores de este paciente…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Re-encoding the cases of an earlier model in the background: %1 of %2 done.</source>
        <translation>Recodificando en segundo plano los casos de un modelo anterior: %1 de %2 hechos.</translation>
    </message>
    <message>
        <source>%1 cases were encoded by an earlier model and are not searched until they are re-encoded.</source>
        <translation>%1 casos fueron codificados por un modelo anterior y no se buscan hasta que se recodifiquen.</translation>
    </message>
    <message>
        <source>Remove case</source>
        <translation>Eliminar el caso</translation>
    </message>
    <message>
        <source>Remove case clinic:%1? It is no longer searched, and only a bundle or a backup brings it back.</source>
        <translation>¿Eliminar el caso clinic:%1? Dejará de buscarse, y solo un paquete o una copia de seguridad lo recuperará.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Export clinic cases</source>
        <translation>Exportar los casos de la clínica</translation>
    </message>
    <message>
        <source>Case bundles (*.zip)</source>
        <translation>Paquetes de casos (*.zip)</translation>
    </message>
    <message>
        <source>Patient references</source>
        <translation>Referencias de los pacientes</translation>
    </message>
    <message>
        <source>Leave the patient references out of the bundle?</source>
        <translation>¿Dejar fuera del paquete las referencias de los pacientes?</translation>
    </message>
    <message>
        <source>Exporting clinic cases…</source>
        <translation>Exportando los casos de la clínica…</translation>
    </message>
    <message>
        <source>%1 cases written to %2.</source>
        <translation>%1 casos escritos en %2.</translation>
    </message>
    <message>
        <source>Import clinic cases</source>
        <translation>Importar casos de clínica</translation>
    </message>
    <message>
        <source>Checking and importing the bundle…</source>
        <translation>Comprobando e importando el paquete…</translation>
    </message>
    <message>
        <source>Added %1, skipped %2 already here, refused %3.</source>
        <translation>%1 añadidos, %2 ya presentes omitidos, %3 rechazados.</translation>
    </message>
    <message>
        <source>Re-encoding cases with the installed model…</source>
        <translation>Recodificando los casos con el modelo instalado…</translation>
    </message>
</context>
<context>
    <name>ComparePane</name>
    <message>
        <source>Close the comparison</source>
        <translation>Cerrar la comparación</translation>
    </message>
</context>
<context>
    <name>EcgView</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 bpm</source>
        <translation>%1 lpm</translation>
    </message>
    <message>
        <source>%1 mV</source>
        <translation>%1 mV</translation>
    </message>
</context>
<context>
    <name>ExportPdf</name>
    <message>
        <source>ECG similar-case report</source>
        <translation>Informe de casos de ECG similares</translation>
    </message>
    <message>
        <source>Reduced to %1% of true size to fit the page.</source>
        <translation>Reducido al %1 % del tamaño real para caber en la página.</translation>
    </message>
    <message>
        <source>Most similar confirmed cases</source>
        <translation>Casos confirmados más similares</translation>
    </message>
    <message>
        <source>No similar cases: the case base is not available.</source>
        <translation>Sin casos similares: la base de casos no está disponible.</translation>
    </message>
    <message>
        <source>%1% similar</source>
        <translation>similar en un %1 %</translation>
    </message>
    <message>
        <source>This clinic</source>
        <translation>Esta clínica</translation>
    </message>
    <message>
        <source>Similarity combines tracing shape and how well each case&apos;s confirmed findings match what the model reads in this ECG; it is not a diagnosis. These cases support, and do not replace, the clinician&apos;s reading.</source>
        <translation>La similitud combina la forma de los trazados y en qué medida los hallazgos confirmados de cada caso coinciden con lo que el modelo lee en este ECG; no es un diagnóstico. Estos casos apoyan la lectura del clínico, no la sustituyen.</translation>
    </message>
    <message>
        <source>Cases: PTB-XL (Wagner et al., 2020, PhysioNet), CC BY 4.0.</source>
        <translation>Casos: PTB-XL (Wagner et al., 2020, PhysioNet), CC BY 4.0.</translation>
    </message>
    <message>
        <source>Cases marked &quot;This clinic&quot; were confirmed here.</source>
        <translation>Los casos marcados «Esta clínica» se confirmaron aquí.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Abrir…</translation>
    </message>
    <message>
        <source>Open an ECG file or a photo of a printout</source>
        <translation>Abrir un archivo de ECG o una foto de un trazado impreso</translation>
    </message>
    <message>
        <source>Open &amp;sample ECG</source>
        <translation>Abrir el ECG de &amp;ejemplo</translation>
    </message>
    <message>
        <source>Open the ECG that comes with ecgviewer</source>
        <translation>Abrir el ECG incluido con ecgviewer</translation>
    </message>
    <message>
        <source>&amp;Next file</source>
        <translation>Archivo &amp;siguiente</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>&amp;Exportar PDF…</translation>
    </message>
    <message>
        <source>Save a one-page report as PDF</source>
        <translation>Guardar un informe de una página en PDF</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimir…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Ampliar</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>&amp;Reducir</translation>
    </message>
    <message>
        <source>&amp;Fit width</source>
        <translation>Ajustar al &amp;ancho</translation>
    </message>
    <message>
        <source>&amp;True size</source>
        <translation>&amp;Tamaño real</translation>
    </message>
    <message>
        <source>Show the paper at its real size (25 mm per second on the screen)</source>
        <translation>Mostrar el papel a su tamaño real (25 mm por segundo en la pantalla)</translation>
    </message>
    <message>
        <source>&amp;Calipers</source>
        <translation>&amp;Compás</translation>
    </message>
    <message>
        <source>Click two points to measure time, amplitude and heart rate</source>
        <translation>Haga clic en dos puntos para medir tiempo, amplitud y frecuencia cardíaca</translation>
    </message>
    <message>
        <source>Adjust &amp;corners</source>
        <translation>Ajustar las &amp;esquinas</translation>
    </message>
    <message>
        <source>Drag the paper&apos;s corners in the photo, then search again</source>
        <translation>Arrastre las esquinas del papel en la foto y vuelva a buscar</translation>
    </message>
    <message>
        <source>Compare side by side</source>
        <translation>Comparar lado a lado</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Configuración…</translation>
    </message>
    <message>
        <source>Save as &amp;confirmed case…</source>
        <translation>Guardar como caso &amp;confirmado…</translation>
    </message>
    <message>
        <source>Save the ECG searched, with the statements you confirm, in this clinic&apos;s own cases</source>
        <translation>Guardar el ECG buscado, con los diagnósticos que usted confirma, entre los casos de esta clínica</translation>
    </message>
    <message>
        <source>&amp;Earlier ECGs of this patient…</source>
        <translation>&amp;ECG anteriores de este paciente…</translation>
    </message>
    <message>
        <source>The ECG just saved beside the patient&apos;s earlier saved ECGs, at one scale</source>
        <translation>El ECG recién guardado junto a los ECG anteriores del paciente, a la misma escala</translation>
    </message>
    <message>
        <source>Clinic &amp;cases…</source>
        <translation>&amp;Casos de la clínica…</translation>
    </message>
    <message>
        <source>&amp;About ecgviewer</source>
        <translation>&amp;Acerca de ecgviewer</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>Abrir la carpeta de &amp;registro</translation>
    </message>
    <message>
        <source>Drag the green circles onto the corners of the paper&apos;s grid, then search again.</source>
        <translation>Arrastre los círculos verdes a las esquinas de la cuadrícula del papel y vuelva a buscar.</translation>
    </message>
    <message>
        <source>Search again with these corners</source>
        <translation>Buscar de nuevo con estas esquinas</translation>
    </message>
    <message>
        <source>Open an ECG to find similar confirmed cases</source>
        <translation>Abra un ECG para encontrar casos confirmados similares</translation>
    </message>
    <message>
        <source>ecgviewer reads WFDB (.hea/.dat), EDF, CSV, DICOM, HL7 aECG and Philips XML files, and photos or scans of paper ECGs. You can also drag files onto this window.</source>
        <translation>ecgviewer lee archivos WFDB (.hea/.dat), EDF, CSV, DICOM, HL7 aECG y Philips XML, y fotos o escaneos de ECG en papel. También puede arrastrar archivos a esta ventana.</translation>
    </message>
    <message>
        <source>Open an ECG file or photo…</source>
        <translation>Abrir un archivo de ECG o una foto…</translation>
    </message>
    <message>
        <source>Open the sample ECG</source>
        <translation>Abrir el ECG de ejemplo</translation>
    </message>
    <message>
        <source>The sample ECG is not installed.</source>
        <translation>El ECG de ejemplo no está instalado.</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Disposición</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <source>%1 mm/s</source>
        <translation>%1 mm/s</translation>
    </message>
    <message>
        <source>Gain</source>
        <translation>Ganancia</translation>
    </message>
    <message>
        <source>%1 mm/mV</source>
        <translation>%1 mm/mV</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Herramientas</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>ECG files and images</source>
        <translation>Archivos de ECG e imágenes</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Todos los archivos</translation>
    </message>
    <message>
        <source>Open ECG</source>
        <translation>Abrir ECG</translation>
    </message>
    <message>
        <source>The sample ECG is not installed (%1).</source>
        <translation>El ECG de ejemplo no está instalado (%1).</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Abriendo %1…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>Leyendo el archivo…</translation>
    </message>
    <message>
        <source>Drawing the ECG…</source>
        <translation>Dibujando el ECG…</translation>
    </message>
    <message>
        <source>Finding the paper in the photo…</source>
        <translation>Buscando el papel en la foto…</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Cargando el modelo…</translation>
    </message>
    <message>
        <source>Searching for similar cases…</source>
        <translation>Buscando casos similares…</translation>
    </message>
    <message>
        <source>heart rate about %1/min (from the rhythm strip)</source>
        <translation>frecuencia cardíaca de unos %1/min (tira de ritmo)</translation>
    </message>
    <message>
        <source>regular</source>
        <translation>regular</translation>
    </message>
    <message>
        <source>irregular</source>
        <translation>irregular</translation>
    </message>
    <message>
        <source>heart rate %1/min, %2</source>
        <translation>frecuencia cardíaca %1/min, %2</translation>
    </message>
    <message>
        <source>Report saved: %1</source>
        <translation>Informe guardado: %1</translation>
    </message>
    <message>
        <source>If this is an ECG printout, drag the green circles onto the corners of its grid and search again.</source>
        <translation>Si es un ECG impreso, arrastre los círculos verdes a las esquinas de su cuadrícula y vuelva a buscar.</translation>
    </message>
    <message>
        <source>%1 similar cases found in %2 s.</source>
        <translation>%1 casos similares encontrados en %2 s.</translation>
    </message>
    <message>
        <source>Similar cases are not available: %1</source>
        <translation>Los casos similares no están disponibles: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — photo or scan of a paper ECG, read as 25 mm/s and 10 mm/mV</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — foto o escaneo de un ECG en papel, leído a 25 mm/s y 10 mm/mV</translation>
    </message>
    <message>
        <source>%1 leads, %2 s at %3 Hz</source>
        <translation>%1 derivaciones, %2 s a %3 Hz</translation>
    </message>
    <message>
        <source>Calipers: click two points on the ECG.</source>
        <translation>Compás: haga clic en dos puntos del ECG.</translation>
    </message>
    <message>
        <source>(assuming 25 mm/s, 10 mm/mV)</source>
        <translation>(suponiendo 25 mm/s, 10 mm/mV)</translation>
    </message>
    <message>
        <source>Calipers: %1</source>
        <translation>Compás: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Case %1&lt;/b&gt; — %2% similar · %3 · same scale as the query</source>
        <translation>&lt;b&gt;Caso %1&lt;/b&gt; — similar en un %2 % · %3 · misma escala que el ECG consultado</translation>
    </message>
    <message>
        <source>Loading the case&apos;s tracing…</source>
        <translation>Cargando el trazado del caso…</translation>
    </message>
    <message>
        <source>The tracings of past cases are not installed: only their statements and reports are shown.</source>
        <translation>Los trazados de los casos anteriores no están instalados: solo se muestran sus diagnósticos e informes.</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Exportar PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Printed at true scale: 25 mm/s, 10 mm/mV, 1 small square = 1 mm.</source>
        <translation>Impreso a escala real: 25 mm/s, 10 mm/mV, 1 cuadro pequeño = 1 mm.</translation>
    </message>
    <message>
        <source>Clinic case %1 saved: it is found by the next searches.</source>
        <translation>Caso de la clínica %1 guardado: las próximas búsquedas lo encontrarán.</translation>
    </message>
    <message>
        <source>&amp;Next file (%1 waiting)</source>
        <translation>Archivo &amp;siguiente (%1 en espera)</translation>
    </message>
</context>
<context>
    <name>SerialDialog</name>
    <message>
        <source>Earlier ECGs of patient %1</source>
        <translation>ECG anteriores del paciente %1</translation>
    </message>
    <message>
        <source>This ECG</source>
        <translation>Este ECG</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <extracomment>Shipped UI languages: code -&gt; name in that language (never translated). Where similar cases come from, as stored: both bases, or one of them.</extracomment>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>Procesador (CPU)</translation>
    </message>
    <message>
        <source>CUDA (NVIDIA GPU)</source>
        <translation>CUDA (GPU NVIDIA)</translation>
    </message>
    <message>
        <source>Compute device:</source>
        <translation>Dispositivo de cálculo:</translation>
    </message>
    <message>
        <source>CUDA is used only after a test inference on it works; otherwise the CPU is used and the window says so.</source>
        <translation>CUDA solo se usa si una inferencia de prueba funciona; si no, se usa el procesador y la ventana lo indica.</translation>
    </message>
    <message>
        <source>CUDA is not available on this computer: ecgviewer uses the CPU.</source>
        <translation>CUDA no está disponible en este equipo: ecgviewer usa el procesador.</translation>
    </message>
    <message>
        <source>Number of similar cases:</source>
        <translation>Número de casos similares:</translation>
    </message>
    <message>
        <source>Bundled and clinic cases</source>
        <translation>Casos incluidos y de la clínica</translation>
    </message>
    <message>
        <source>Bundled cases only (PTB-XL)</source>
        <translation>Solo los casos incluidos (PTB-XL)</translation>
    </message>
    <message>
        <source>This clinic&apos;s cases only</source>
        <translation>Solo los casos de esta clínica</translation>
    </message>
    <message>
        <source>Similar cases from:</source>
        <translation>Casos similares de:</translation>
    </message>
    <message>
        <source>Default layout:</source>
        <translation>Disposición predeterminada:</translation>
    </message>
    <message>
        <source>%1 mm/s</source>
        <translation>%1 mm/s</translation>
    </message>
    <message>
        <source>Default paper speed:</source>
        <translation>Velocidad del papel predeterminada:</translation>
    </message>
    <message>
        <source>%1 mm/mV</source>
        <translation>%1 mm/mV</translation>
    </message>
    <message>
        <source>Default gain:</source>
        <translation>Ganancia predeterminada:</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <source>A new language applies when ecgviewer is restarted.</source>
        <translation>El nuevo idioma se aplica al reiniciar ecgviewer.</translation>
    </message>
</context>
</TS>
