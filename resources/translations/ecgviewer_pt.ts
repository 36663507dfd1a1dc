<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About ecgviewer</source>
        <translation>Sobre o ecgviewer</translation>
    </message>
    <message>
        <source>%1 (build %2, runs on %3)</source>
        <translation>%1 (compilação %2, executado em %3)</translation>
    </message>
    <message>
        <source>tracings installed</source>
        <translation>traçados instalados</translation>
    </message>
    <message>
        <source>tracings not installed</source>
        <translation>traçados não instalados</translation>
    </message>
    <message>
        <source>build %1, %2 cases, %3</source>
        <translation>compilação %1, %2 casos, %3</translation>
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
        <translation>Modelo e base de casos</translation>
    </message>
    <message>
        <source>not loaded yet: open an ECG first</source>
        <translation>ainda não carregados: abra primeiro um ECG</translation>
    </message>
    <message>
        <source>Offline ECG viewer and similar-case retrieval</source>
        <translation>Visualizador de ECG offline e busca de casos semelhantes</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Instalado</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dados</translation>
    </message>
    <message>
        <source>The similar cases and their reports come from PTB-XL, a large publicly available electrocardiography dataset, used under the Creative Commons Attribution 4.0 licence:</source>
        <translation>Os casos semelhantes e os seus laudos vêm do PTB-XL, um grande conjunto de dados de eletrocardiografia de acesso público, utilizado sob a licença Creative Commons Atribuição 4.0:</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Unexpected error: %1. Details are in the log file %2.</source>
        <extracomment>A screenshot run gives up after this long (a hung search must not hang a CI job).</extracomment>
        <translation>Erro inesperado: %1. Os detalhes estão no arquivo de registro %2.</translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <source>Edit clinic case</source>
        <translation>Editar caso da clínica</translation>
    </message>
    <message>
        <source>Save as a confirmed case</source>
        <translation>Salvar como caso confirmado</translation>
    </message>
    <message>
        <source>Search statements (code or words)…</source>
        <translation>Buscar diagnósticos (código ou palavras)…</translation>
    </message>
    <message>
        <source>The report, as the cardiologist would write it</source>
        <translation>O laudo, como o cardiologista o escreveria</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconhecido</translation>
    </message>
    <message>
        <source>female</source>
        <translation>feminino</translation>
    </message>
    <message>
        <source>male</source>
        <translation>masculino</translation>
    </message>
    <message>
        <source>optional; a pseudonymous reference, never a name</source>
        <translation>opcional; uma referência pseudônima, nunca um nome</translation>
    </message>
    <message>
        <source>Report:</source>
        <translation>Laudo:</translation>
    </message>
    <message>
        <source>Age:</source>
        <translation>Idade:</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>Sexo:</translation>
    </message>
    <message>
        <source>Patient reference:</source>
        <translation>Referência do paciente:</translation>
    </message>
    <message>
        <source>Confirmed by:</source>
        <translation>Confirmado por:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Salvar</translation>
    </message>
    <message>
        <source>Confirmed statements (check one or more):</source>
        <translation>Diagnósticos confirmados (marque um ou mais):</translation>
    </message>
    <message>
        <source>Confirmed: %1</source>
        <translation>Confirmados: %1</translation>
    </message>
    <message>
        <source>No statement checked yet.</source>
        <translation>Nenhum diagnóstico marcado ainda.</translation>
    </message>
    <message>
        <source>Case not saved</source>
        <translation>Caso não salvo</translation>
    </message>
</context>
<context>
    <name>CasesPanel</name>
    <message>
        <source>female</source>
        <translation>feminino</translation>
    </message>
    <message>
        <source>male</source>
        <translation>masculino</translation>
    </message>
    <message>
        <source>%1 y</source>
        <translation>%1 anos</translation>
    </message>
    <message>
        <source>no statements</source>
        <translation>sem diagnósticos</translation>
    </message>
    <message>
        <source>Similar confirmed cases</source>
        <translation>Casos confirmados semelhantes</translation>
    </message>
    <message>
        <source>Similarity combines how alike the tracings look and how well each case&apos;s confirmed findings match what the model reads in this ECG. It is not a diagnosis: these cases support, and do not replace, your own reading of the ECG.</source>
        <translation>A semelhança combina o quanto os traçados se parecem e o quanto os achados confirmados de cada caso correspondem ao que o modelo lê neste ECG. Não é um diagnóstico: estes casos apoiam a sua própria leitura do ECG, não a substituem.</translation>
    </message>
    <message>
        <source>Cases whose heart rate and rhythm regularity match this ECG&apos;s are listed first.</source>
        <translation>Os casos cuja frequência cardíaca e regularidade do ritmo coincidem com este ECG aparecem primeiro.</translation>
    </message>
    <message>
        <source>Open an ECG to see similar cases.</source>
        <translation>Abra um ECG para ver casos semelhantes.</translation>
    </message>
    <message>
        <source>Select a case to see its statements and report.</source>
        <translation>Selecione um caso para ver os seus diagnósticos e o laudo.</translation>
    </message>
    <message>
        <source>age and sex unknown</source>
        <translation>idade e sexo desconhecidos</translation>
    </message>
    <message>
        <source>This clinic · %1</source>
        <translation>Esta clínica · %1</translation>
    </message>
    <message>
        <source>Most frequent among these cases: %1</source>
        <translation>Mais frequentes entre estes casos: %1</translation>
    </message>
    <message>
        <source>also in %1 of %2 other similar cases</source>
        <translation>também em %1 dos outros %2 casos semelhantes</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Diagnóstico</translation>
    </message>
    <message>
        <source>Likelihood</source>
        <translation>Probabilidade</translation>
    </message>
    <message>
        <source>Case %1 — %2% similar</source>
        <translation>Caso %1 — %2% semelhante</translation>
    </message>
    <message>
        <source>No report.</source>
        <translation>Sem laudo.</translation>
    </message>
    <message>
        <source>Highlighted: statements that recur among the other similar cases.</source>
        <translation>Destacados: diagnósticos que se repetem nos outros casos semelhantes.</translation>
    </message>
    <message>
        <source>Original report (as written by the cardiologist)</source>
        <translation>Laudo original (tal como escrito pelo cardiologista)</translation>
    </message>
</context>
<context>
    <name>ClinicCasesDialog</name>
    <message>
        <source>Clinic cases</source>
        <translation>Casos da clínica</translation>
    </message>
    <message>
        <source>Saved in %1</source>
        <translation>Salvos em %1</translation>
    </message>
    <message>
        <source>Show one patient reference only</source>
        <translation>Mostrar apenas uma referência de paciente</translation>
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
        <translation>Referência</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmado</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Laudo</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Remover…</translation>
    </message>
    <message>
        <source>Export bundle…</source>
        <translation>Exportar pacote…</translation>
    </message>
    <message>
        <source>Import bundle…</source>
        <translation>Importar pacote…</translation>
    </message>
    <message>
        <source>Re-encode</source>
        <translation>Recodificar</translation>
    </message>
    <message>
        <source>Earlier ECGs of this patient…</source>
        <translation>ECGs anteriores deste paciente…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fechar</translation>
    </message>
    <message>
        <source>Re-encoding the cases of an earlier model in the background: %1 of %2 done.</source>
        <translation>Recodificando em segundo plano os casos de um modelo anterior: %1 de %2 feitos.</translation>
    </message>
    <message>
        <source>%1 cases were encoded by an earlier model and are not searched until they are re-encoded.</source>
        <translation>%1 casos foram codificados por um modelo anterior e não são pesquisados até serem recodificados.</translation>
    </message>
    <message>
        <source>Remove case</source>
        <translation>Remover o caso</translation>
    </message>
    <message>
        <source>Remove case clinic:%1? It is no longer searched, and only a bundle or a backup brings it back.</source>
        <translation>Remover o caso clinic:%1? Ele deixará de ser pesquisado, e só um pacote ou um backup o trará de volta.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Export clinic cases</source>
        <translation>Exportar os casos da clínica</translation>
    </message>
    <message>
        <source>Case bundles (*.zip)</source>
        <translation>Pacotes de casos (*.zip)</translation>
    </message>
    <message>
        <source>Patient references</source>
        <translation>Referências dos pacientes</translation>
    </message>
    <message>
        <source>Leave the patient references out of the bundle?</source>
        <translation>Deixar as referências dos pacientes fora do pacote?</translation>
    </message>
    <message>
        <source>Exporting clinic cases…</source>
        <translation>Exportando os casos da clínica…</translation>
    </message>
    <message>
        <source>%1 cases written to %2.</source>
        <translation>%1 casos gravados em %2.</translation>
    </message>
    <message>
        <source>Import clinic cases</source>
        <translation>Importar casos de clínica</translation>
    </message>
    <message>
        <source>Checking and importing the bundle…</source>
        <translation>Verificando e importando o pacote…</translation>
    </message>
    <message>
        <source>Added %1, skipped %2 already here, refused %3.</source>
        <translation>%1 adicionados, %2 já presentes ignorados, %3 recusados.</translation>
    </message>
    <message>
        <source>Re-encoding cases with the installed model…</source>
        <translation>Recodificando os casos com o modelo instalado…</translation>
    </message>
</context>
<context>
    <name>ComparePane</name>
    <message>
        <source>Close the comparison</source>
        <translation>Fechar a comparação</translation>
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
        <translation>%1 bpm</translation>
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
        <translation>Relatório de casos de ECG semelhantes</translation>
    </message>
    <message>
        <source>Reduced to %1% of true size to fit the page.</source>
        <translation>Reduzido a %1% do tamanho real para caber na página.</translation>
    </message>
    <message>
        <source>Most similar confirmed cases</source>
        <translation>Casos confirmados mais semelhantes</translation>
    </message>
    <message>
        <source>No similar cases: the case base is not available.</source>
        <translation>Sem casos semelhantes: a base de casos não está disponível.</translation>
    </message>
    <message>
        <source>%1% similar</source>
        <translation>%1% semelhante</translation>
    </message>
    <message>
        <source>This clinic</source>
        <translation>Esta clínica</translation>
    </message>
    <message>
        <source>Similarity combines tracing shape and how well each case&apos;s confirmed findings match what the model reads in this ECG; it is not a diagnosis. These cases support, and do not replace, the clinician&apos;s reading.</source>
        <translation>A semelhança combina a forma dos traçados e o quanto os achados confirmados de cada caso correspondem ao que o modelo lê neste ECG; não é um diagnóstico. Estes casos apoiam a leitura do clínico, não a substituem.</translation>
    </message>
    <message>
        <source>Cases: PTB-XL (Wagner et al., 2020, PhysioNet), CC BY 4.0.</source>
        <translation>Casos: PTB-XL (Wagner et al., 2020, PhysioNet), CC BY 4.0.</translation>
    </message>
    <message>
        <source>Cases marked &quot;This clinic&quot; were confirmed here.</source>
        <translation>Os casos marcados «Esta clínica» foram confirmados aqui.</translation>
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
        <translation>Abrir um arquivo de ECG ou uma foto de um traçado impresso</translation>
    </message>
    <message>
        <source>Open &amp;sample ECG</source>
        <translation>Abrir o ECG de &amp;exemplo</translation>
    </message>
    <message>
        <source>Open the ECG that comes with ecgviewer</source>
        <translation>Abrir o ECG incluído no ecgviewer</translation>
    </message>
    <message>
        <source>&amp;Next file</source>
        <translation>&amp;Próximo arquivo</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>&amp;Exportar PDF…</translation>
    </message>
    <message>
        <source>Save a one-page report as PDF</source>
        <translation>Salvar um relatório de uma página em PDF</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimir…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Sair</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Ampliar</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>&amp;Reduzir</translation>
    </message>
    <message>
        <source>&amp;Fit width</source>
        <translation>Ajustar à &amp;largura</translation>
    </message>
    <message>
        <source>&amp;True size</source>
        <translation>&amp;Tamanho real</translation>
    </message>
    <message>
        <source>Show the paper at its real size (25 mm per second on the screen)</source>
        <translation>Mostrar o papel no tamanho real (25 mm por segundo na tela)</translation>
    </message>
    <message>
        <source>&amp;Calipers</source>
        <translation>&amp;Compasso</translation>
    </message>
    <message>
        <source>Click two points to measure time, amplitude and heart rate</source>
        <translation>Clique em dois pontos para medir tempo, amplitude e frequência cardíaca</translation>
    </message>
    <message>
        <source>Adjust &amp;corners</source>
        <translation>Ajustar os &amp;cantos</translation>
    </message>
    <message>
        <source>Drag the paper&apos;s corners in the photo, then search again</source>
        <translation>Arraste os cantos do papel na foto e pesquise novamente</translation>
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
        <translation>&amp;Configurações…</translation>
    </message>
    <message>
        <source>Save as &amp;confirmed case…</source>
        <translation>Salvar como caso &amp;confirmado…</translation>
    </message>
    <message>
        <source>Save the ECG searched, with the statements you confirm, in this clinic&apos;s own cases</source>
        <translation>Salvar o ECG pesquisado, com os diagnósticos que você confirma, entre os casos desta clínica</translation>
    </message>
    <message>
        <source>&amp;Earlier ECGs of this patient…</source>
        <translation>&amp;ECGs anteriores deste paciente…</translation>
    </message>
    <message>
        <source>The ECG just saved beside the patient&apos;s earlier saved ECGs, at one scale</source>
        <translation>O ECG acabado de guardar ao lado dos ECGs anteriores do paciente, na mesma escala</translation>
    </message>
    <message>
        <source>Clinic &amp;cases…</source>
        <translation>&amp;Casos da clínica…</translation>
    </message>
    <message>
        <source>&amp;About ecgviewer</source>
        <translation>&amp;Sobre o ecgviewer</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>Abrir a pasta de &amp;registro</translation>
    </message>
    <message>
        <source>Drag the green circles onto the corners of the paper&apos;s grid, then search again.</source>
        <translation>Arraste os círculos verdes para os cantos da grade do papel e pesquise novamente.</translation>
    </message>
    <message>
        <source>Search again with these corners</source>
        <translation>Pesquisar novamente com estes cantos</translation>
    </message>
    <message>
        <source>Open an ECG to find similar confirmed cases</source>
        <translation>Abra um ECG para encontrar casos confirmados semelhantes</translation>
    </message>
    <message>
        <source>ecgviewer reads WFDB (.hea/.dat), EDF, CSV, DICOM, HL7 aECG and Philips XML files, and photos or scans of paper ECGs. You can also drag files onto this window.</source>
        <translation>O ecgviewer lê arquivos WFDB (.hea/.dat), EDF, CSV, DICOM, HL7 aECG e Philips XML, e fotos ou digitalizações de ECG em papel. Também pode arrastar arquivos para esta janela.</translation>
    </message>
    <message>
        <source>Open an ECG file or photo…</source>
        <translation>Abrir um arquivo de ECG ou uma foto…</translation>
    </message>
    <message>
        <source>Open the sample ECG</source>
        <translation>Abrir o ECG de exemplo</translation>
    </message>
    <message>
        <source>The sample ECG is not installed.</source>
        <translation>O ECG de exemplo não está instalado.</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Disposição</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Velocidade</translation>
    </message>
    <message>
        <source>%1 mm/s</source>
        <translation>%1 mm/s</translation>
    </message>
    <message>
        <source>Gain</source>
        <translation>Ganho</translation>
    </message>
    <message>
        <source>%1 mm/mV</source>
        <translation>%1 mm/mV</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arquivo</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Abrir &amp;recente</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Exibir</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Ferramentas</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;juda</translation>
    </message>
    <message>
        <source>ECG files and images</source>
        <translation>Arquivos de ECG e imagens</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Todos os arquivos</translation>
    </message>
    <message>
        <source>Open ECG</source>
        <translation>Abrir ECG</translation>
    </message>
    <message>
        <source>The sample ECG is not installed (%1).</source>
        <translation>O ECG de exemplo não está instalado (%1).</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Abrindo %1…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(nenhum)</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>Lendo o arquivo…</translation>
    </message>
    <message>
        <source>Drawing the ECG…</source>
        <translation>Desenhando o ECG…</translation>
    </message>
    <message>
        <source>Finding the paper in the photo…</source>
        <translation>Localizando o papel na foto…</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Carregando o modelo…</translation>
    </message>
    <message>
        <source>Searching for similar cases…</source>
        <translation>Buscando casos semelhantes…</translation>
    </message>
    <message>
        <source>heart rate about %1/min (from the rhythm strip)</source>
        <translation>frequência cardíaca de cerca de %1/min (tira de ritmo)</translation>
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
        <translation>frequência cardíaca %1/min, %2</translation>
    </message>
    <message>
        <source>Report saved: %1</source>
        <translation>Relatório salvo: %1</translation>
    </message>
    <message>
        <source>If this is an ECG printout, drag the green circles onto the corners of its grid and search again.</source>
        <translation>Se for um ECG impresso, arraste os círculos verdes para os cantos da grade e pesquise novamente.</translation>
    </message>
    <message>
        <source>%1 similar cases found in %2 s.</source>
        <translation>%1 casos semelhantes encontrados em %2 s.</translation>
    </message>
    <message>
        <source>Similar cases are not available: %1</source>
        <translation>Os casos semelhantes não estão disponíveis: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — photo or scan of a paper ECG, read as 25 mm/s and 10 mm/mV</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — foto ou digitalização de um ECG em papel, lido a 25 mm/s e 10 mm/mV</translation>
    </message>
    <message>
        <source>%1 leads, %2 s at %3 Hz</source>
        <translation>%1 derivações, %2 s a %3 Hz</translation>
    </message>
    <message>
        <source>Calipers: click two points on the ECG.</source>
        <translation>Compasso: clique em dois pontos do ECG.</translation>
    </message>
    <message>
        <source>(assuming 25 mm/s, 10 mm/mV)</source>
        <translation>(supondo 25 mm/s, 10 mm/mV)</translation>
    </message>
    <message>
        <source>Calipers: %1</source>
        <translation>Compasso: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Case %1&lt;/b&gt; — %2% similar · %3 · same scale as the query</source>
        <translation>&lt;b&gt;Caso %1&lt;/b&gt; — %2% semelhante · %3 · mesma escala do ECG consultado</translation>
    </message>
    <message>
        <source>Loading the case&apos;s tracing…</source>
        <translation>Carregando o traçado do caso…</translation>
    </message>
    <message>
        <source>The tracings of past cases are not installed: only their statements and reports are shown.</source>
        <translation>Os traçados dos casos anteriores não estão instalados: apenas os seus diagnósticos e laudos são mostrados.</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Exportar PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Arquivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Printed at true scale: 25 mm/s, 10 mm/mV, 1 small square = 1 mm.</source>
        <translation>Impresso em escala real: 25 mm/s, 10 mm/mV, 1 quadrado pequeno = 1 mm.</translation>
    </message>
    <message>
        <source>Clinic case %1 saved: it is found by the next searches.</source>
        <translation>Caso da clínica %1 salvo: as próximas pesquisas o encontrarão.</translation>
    </message>
    <message>
        <source>&amp;Next file (%1 waiting)</source>
        <translation>&amp;Próximo arquivo (%1 na fila)</translation>
    </message>
</context>
<context>
    <name>SerialDialog</name>
    <message>
        <source>Earlier ECGs of patient %1</source>
        <translation>ECGs anteriores do paciente %1</translation>
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
        <translation>Configurações</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>Processador (CPU)</translation>
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
        <translation>O CUDA só é usado se uma inferência de teste funcionar; caso contrário, usa-se o processador e a janela avisa.</translation>
    </message>
    <message>
        <source>CUDA is not available on this computer: ecgviewer uses the CPU.</source>
        <translation>O CUDA não está disponível neste computador: o ecgviewer usa o processador.</translation>
    </message>
    <message>
        <source>Number of similar cases:</source>
        <translation>Número de casos semelhantes:</translation>
    </message>
    <message>
        <source>Bundled and clinic cases</source>
        <translation>Casos incluídos e da clínica</translation>
    </message>
    <message>
        <source>Bundled cases only (PTB-XL)</source>
        <translation>Apenas os casos incluídos (PTB-XL)</translation>
    </message>
    <message>
        <source>This clinic&apos;s cases only</source>
        <translation>Apenas os casos desta clínica</translation>
    </message>
    <message>
        <source>Similar cases from:</source>
        <translation>Casos semelhantes de:</translation>
    </message>
    <message>
        <source>Default layout:</source>
        <translation>Disposição padrão:</translation>
    </message>
    <message>
        <source>%1 mm/s</source>
        <translation>%1 mm/s</translation>
    </message>
    <message>
        <source>Default paper speed:</source>
        <translation>Velocidade do papel padrão:</translation>
    </message>
    <message>
        <source>%1 mm/mV</source>
        <translation>%1 mm/mV</translation>
    </message>
    <message>
        <source>Default gain:</source>
        <translation>Ganho padrão:</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma do sistema</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <source>A new language applies when ecgviewer is restarted.</source>
        <translation>O novo idioma é aplicado ao reiniciar o ecgviewer.</translation>
    </message>
</context>
</TS>
