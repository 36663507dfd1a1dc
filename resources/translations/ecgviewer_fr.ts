<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About ecgviewer</source>
        <translation>À propos d&apos;ecgviewer</translation>
    </message>
    <message>
        <source>%1 (build %2, runs on %3)</source>
        <translation>%1 (version %2, exécuté sur %3)</translation>
    </message>
    <message>
        <source>tracings installed</source>
        <translation>tracés installés</translation>
    </message>
    <message>
        <source>tracings not installed</source>
        <translation>tracés non installés</translation>
    </message>
    <message>
        <source>build %1, %2 cases, %3</source>
        <translation>version %1, %2 cas, %3</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Case base</source>
        <translation>Base de cas</translation>
    </message>
    <message>
        <source>Model and case base</source>
        <translation>Modèle et base de cas</translation>
    </message>
    <message>
        <source>not loaded yet: open an ECG first</source>
        <translation>pas encore chargés : ouvrez d&apos;abord un ECG</translation>
    </message>
    <message>
        <source>Offline ECG viewer and similar-case retrieval</source>
        <translation>Visualiseur d&apos;ECG hors ligne et recherche de cas similaires</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installé</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <source>The similar cases and their reports come from PTB-XL, a large publicly available electrocardiography dataset, used under the Creative Commons Attribution 4.0 licence:</source>
        <translation>Les cas similaires et leurs comptes rendus proviennent de PTB-XL, un vaste jeu de données d&apos;électrocardiographie librement accessible, utilisé selon la licence Creative Commons Attribution 4.0 :</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Unexpected error: %1. Details are in the log file %2.</source>
        <extracomment>A screenshot run gives up after this long (a hung search must not hang a CI job).</extracomment>
        <translation>Erreur inattendue : %1. Les détails figurent dans le journal %2.</translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <source>Edit clinic case</source>
        <translation>Modifier le cas de la clinique</translation>
    </message>
    <message>
        <source>Save as a confirmed case</source>
        <translation>Enregistrer comme cas confirmé</translation>
    </message>
    <message>
        <source>Search statements (code or words)…</source>
        <translation>Rechercher des conclusions (code ou mots)…</translation>
    </message>
    <message>
        <source>The report, as the cardiologist would write it</source>
        <translation>Le compte rendu, tel que le cardiologue l&apos;écrirait</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>female</source>
        <translation>femme</translation>
    </message>
    <message>
        <source>male</source>
        <translation>homme</translation>
    </message>
    <message>
        <source>optional; a pseudonymous reference, never a name</source>
        <translation>facultatif ; une référence pseudonyme, jamais un nom</translation>
    </message>
    <message>
        <source>Report:</source>
        <translation>Compte rendu :</translation>
    </message>
    <message>
        <source>Age:</source>
        <translation>Âge :</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>Sexe :</translation>
    </message>
    <message>
        <source>Patient reference:</source>
        <translation>Référence du patient :</translation>
    </message>
    <message>
        <source>Confirmed by:</source>
        <translation>Confirmé par :</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Confirmed statements (check one or more):</source>
        <translation>Conclusions confirmées (cochez-en une ou plusieurs) :</translation>
    </message>
    <message>
        <source>Confirmed: %1</source>
        <translation>Confirmées : %1</translation>
    </message>
    <message>
        <source>No statement checked yet.</source>
        <translation>Aucune conclusion cochée pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Case not saved</source>
        <translation>Cas non enregistré</translation>
    </message>
</context>
<context>
    <name>CasesPanel</name>
    <message>
        <source>female</source>
        <translation>femme</translation>
    </message>
    <message>
        <source>male</source>
        <translation>homme</translation>
    </message>
    <message>
        <source>%1 y</source>
        <translation>%1 ans</translation>
    </message>
    <message>
        <source>no statements</source>
        <translation>aucune conclusion</translation>
    </message>
    <message>
        <source>Similar confirmed cases</source>
        <translation>Cas confirmés similaires</translation>
    </message>
    <message>
        <source>Similarity combines how alike the tracings look and how well each case&apos;s confirmed findings match what the model reads in this ECG. It is not a diagnosis: these cases support, and do not replace, your own reading of the ECG.</source>
        <translation>La similarité combine la ressemblance des tracés et la concordance entre les conclusions confirmées de chaque cas et ce que le modèle lit sur cet ECG. Ce n&apos;est pas un diagnostic : ces cas aident votre propre lecture de l&apos;ECG, ils ne la remplacent pas.</translation>
    </message>
    <message>
        <source>Cases whose heart rate and rhythm regularity match this ECG&apos;s are listed first.</source>
        <translation>Les cas dont la fréquence cardiaque et la régularité du rythme correspondent à cet ECG sont listés en premier.</translation>
    </message>
    <message>
        <source>Open an ECG to see similar cases.</source>
        <translation>Ouvrez un ECG pour voir les cas similaires.</translation>
    </message>
    <message>
        <source>Select a case to see its statements and report.</source>
        <translation>Sélectionnez un cas pour voir ses conclusions et son compte rendu.</translation>
    </message>
    <message>
        <source>age and sex unknown</source>
        <translation>âge et sexe inconnus</translation>
    </message>
    <message>
        <source>This clinic · %1</source>
        <translation>Cette clinique · %1</translation>
    </message>
    <message>
        <source>Most frequent among these cases: %1</source>
        <translation>Les plus fréquents parmi ces cas : %1</translation>
    </message>
    <message>
        <source>also in %1 of %2 other similar cases</source>
        <translation>aussi dans %1 des %2 autres cas similaires</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>Likelihood</source>
        <translation>Probabilité</translation>
    </message>
    <message>
        <source>Case %1 — %2% similar</source>
        <translation>Cas %1 — similaire à %2 %</translation>
    </message>
    <message>
        <source>No report.</source>
        <translation>Pas de compte rendu.</translation>
    </message>
    <message>
        <source>Highlighted: statements that recur among the other similar cases.</source>
        <translation>Surlignées : conclusions qui reviennent dans les autres cas similaires.</translation>
    </message>
    <message>
        <source>Original report (as written by the cardiologist)</source>
        <translation>Compte rendu original (tel que rédigé par le cardiologue)</translation>
    </message>
</context>
<context>
    <name>ClinicCasesDialog</name>
    <message>
        <source>Clinic cases</source>
        <translation>Cas de la clinique</translation>
    </message>
    <message>
        <source>Saved in %1</source>
        <translation>Enregistrés dans %1</translation>
    </message>
    <message>
        <source>Show one patient reference only</source>
        <translation>Afficher une seule référence de patient</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Cas</translation>
    </message>
    <message>
        <source>Statements</source>
        <translation>Conclusions</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmé</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Compte rendu</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Export bundle…</source>
        <translation>Exporter un lot…</translation>
    </message>
    <message>
        <source>Import bundle…</source>
        <translation>Importer un lot…</translation>
    </message>
    <message>
        <source>Re-encode</source>
        <translation>Réencoder</translation>
    </message>
    <message>
        <source>Earlier ECGs of this patient…</source>
        <translation>ECG antérieurs de ce patient…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Re-encoding the cases of an earlier model in the background: %1 of %2 done.</source>
        <translation>Réencodage en arrière-plan des cas d&apos;un modèle antérieur : %1 sur %2 faits.</translation>
    </message>
    <message>
        <source>%1 cases were encoded by an earlier model and are not searched until they are re-encoded.</source>
        <translation>%1 cas ont été encodés par un modèle antérieur et ne sont pas recherchés tant qu&apos;ils ne sont pas réencodés.</translation>
    </message>
    <message>
        <source>Remove case</source>
        <translation>Supprimer le cas</translation>
    </message>
    <message>
        <source>Remove case clinic:%1? It is no longer searched, and only a bundle or a backup brings it back.</source>
        <translation>Supprimer le cas clinic:%1 ? Il ne sera plus recherché, et seul un lot ou une sauvegarde pourra le rétablir.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Export clinic cases</source>
        <translation>Exporter les cas de la clinique</translation>
    </message>
    <message>
        <source>Case bundles (*.zip)</source>
        <translation>Lots de cas (*.zip)</translation>
    </message>
    <message>
        <source>Patient references</source>
        <translation>Références des patients</translation>
    </message>
    <message>
        <source>Leave the patient references out of the bundle?</source>
        <translation>Exclure les références des patients du lot ?</translation>
    </message>
    <message>
        <source>Exporting clinic cases…</source>
        <translation>Exportation des cas de la clinique…</translation>
    </message>
    <message>
        <source>%1 cases written to %2.</source>
        <translation>%1 cas écrits dans %2.</translation>
    </message>
    <message>
        <source>Import clinic cases</source>
        <translation>Importer des cas de clinique</translation>
    </message>
    <message>
        <source>Checking and importing the bundle…</source>
        <translation>Vérification et importation du lot…</translation>
    </message>
    <message>
        <source>Added %1, skipped %2 already here, refused %3.</source>
        <translation>%1 ajoutés, %2 déjà présents ignorés, %3 refusés.</translation>
    </message>
    <message>
        <source>Re-encoding cases with the installed model…</source>
        <translation>Réencodage des cas avec le modèle installé…</translation>
    </message>
</context>
<context>
    <name>ComparePane</name>
    <message>
        <source>Close the comparison</source>
        <translation>Fermer la comparaison</translation>
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
        <translation>Rapport de cas ECG similaires</translation>
    </message>
    <message>
        <source>Reduced to %1% of true size to fit the page.</source>
        <translation>Réduit à %1 % de la taille réelle pour tenir sur la page.</translation>
    </message>
    <message>
        <source>Most similar confirmed cases</source>
        <translation>Cas confirmés les plus similaires</translation>
    </message>
    <message>
        <source>No similar cases: the case base is not available.</source>
        <translation>Aucun cas similaire : la base de cas n&apos;est pas disponible.</translation>
    </message>
    <message>
        <source>%1% similar</source>
        <translation>similaire à %1 %</translation>
    </message>
    <message>
        <source>This clinic</source>
        <translation>Cette clinique</translation>
    </message>
    <message>
        <source>Similarity combines tracing shape and how well each case&apos;s confirmed findings match what the model reads in this ECG; it is not a diagnosis. These cases support, and do not replace, the clinician&apos;s reading.</source>
        <translation>La similarité combine la forme des tracés et la concordance entre les conclusions confirmées de chaque cas et ce que le modèle lit sur cet ECG ; ce n&apos;est pas un diagnostic. Ces cas aident la lecture du clinicien, ils ne la remplacent pas.</translation>
    </message>
    <message>
        <source>Cases: PTB-XL (Wagner et al., 2020, PhysioNet), CC BY 4.0.</source>
        <translation>Cas : PTB-XL (Wagner et al., 2020, PhysioNet), CC BY 4.0.</translation>
    </message>
    <message>
        <source>Cases marked &quot;This clinic&quot; were confirmed here.</source>
        <translation>Les cas marqués « Cette clinique » ont été confirmés ici.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Ouvrir…</translation>
    </message>
    <message>
        <source>Open an ECG file or a photo of a printout</source>
        <translation>Ouvrir un fichier ECG ou une photo d&apos;un tracé imprimé</translation>
    </message>
    <message>
        <source>Open &amp;sample ECG</source>
        <translation>Ouvrir l&apos;ECG d&apos;&amp;exemple</translation>
    </message>
    <message>
        <source>Open the ECG that comes with ecgviewer</source>
        <translation>Ouvrir l&apos;ECG fourni avec ecgviewer</translation>
    </message>
    <message>
        <source>&amp;Next file</source>
        <translation>Fichier &amp;suivant</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>&amp;Exporter en PDF…</translation>
    </message>
    <message>
        <source>Save a one-page report as PDF</source>
        <translation>Enregistrer un rapport d&apos;une page en PDF</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimer…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Agrandir</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>&amp;Réduire</translation>
    </message>
    <message>
        <source>&amp;Fit width</source>
        <translation>Ajuster à la &amp;largeur</translation>
    </message>
    <message>
        <source>&amp;True size</source>
        <translation>&amp;Taille réelle</translation>
    </message>
    <message>
        <source>Show the paper at its real size (25 mm per second on the screen)</source>
        <translation>Afficher le papier à sa taille réelle (25 mm par seconde à l&apos;écran)</translation>
    </message>
    <message>
        <source>&amp;Calipers</source>
        <translation>&amp;Compas</translation>
    </message>
    <message>
        <source>Click two points to measure time, amplitude and heart rate</source>
        <translation>Cliquez sur deux points pour mesurer la durée, l&apos;amplitude et la fréquence cardiaque</translation>
    </message>
    <message>
        <source>Adjust &amp;corners</source>
        <translation>Ajuster les &amp;coins</translation>
    </message>
    <message>
        <source>Drag the paper&apos;s corners in the photo, then search again</source>
        <translation>Faites glisser les coins du papier sur la photo, puis relancez la recherche</translation>
    </message>
    <message>
        <source>Compare side by side</source>
        <translation>Comparer côte à côte</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <source>Save as &amp;confirmed case…</source>
        <translation>Enregistrer comme cas &amp;confirmé…</translation>
    </message>
    <message>
        <source>Save the ECG searched, with the statements you confirm, in this clinic&apos;s own cases</source>
        <translation>Enregistrer l&apos;ECG recherché, avec les conclusions que vous confirmez, parmi les cas de cette clinique</translation>
    </message>
    <message>
        <source>&amp;Earlier ECGs of this patient…</source>
        <translation>&amp;ECG antérieurs de ce patient…</translation>
    </message>
    <message>
        <source>The ECG just saved beside the patient&apos;s earlier saved ECGs, at one scale</source>
        <translation>L’ECG enregistré à côté des ECG antérieurs du patient, à la même échelle</translation>
    </message>
    <message>
        <source>Clinic &amp;cases…</source>
        <translation>&amp;Cas de la clinique…</translation>
    </message>
    <message>
        <source>&amp;About ecgviewer</source>
        <translation>À &amp;propos d&apos;ecgviewer</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>Ouvrir le dossier du &amp;journal</translation>
    </message>
    <message>
        <source>Drag the green circles onto the corners of the paper&apos;s grid, then search again.</source>
        <translation>Faites glisser les cercles verts sur les coins du quadrillage, puis relancez la recherche.</translation>
    </message>
    <message>
        <source>Search again with these corners</source>
        <translation>Relancer avec ces coins</translation>
    </message>
    <message>
        <source>Open an ECG to find similar confirmed cases</source>
        <translation>Ouvrez un ECG pour trouver des cas confirmés similaires</translation>
    </message>
    <message>
        <source>ecgviewer reads WFDB (.hea/.dat), EDF, CSV, DICOM, HL7 aECG and Philips XML files, and photos or scans of paper ECGs. You can also drag files onto this window.</source>
        <translation>ecgviewer lit les fichiers WFDB (.hea/.dat), EDF, CSV, DICOM, HL7 aECG et Philips XML, ainsi que les photos ou numérisations d&apos;ECG sur papier. Vous pouvez aussi faire glisser des fichiers sur cette fenêtre.</translation>
    </message>
    <message>
        <source>Open an ECG file or photo…</source>
        <translation>Ouvrir un fichier ECG ou une photo…</translation>
    </message>
    <message>
        <source>Open the sample ECG</source>
        <translation>Ouvrir l&apos;ECG d&apos;exemple</translation>
    </message>
    <message>
        <source>The sample ECG is not installed.</source>
        <translation>L&apos;ECG d&apos;exemple n&apos;est pas installé.</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Disposition</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Vitesse</translation>
    </message>
    <message>
        <source>%1 mm/s</source>
        <translation>%1 mm/s</translation>
    </message>
    <message>
        <source>Gain</source>
        <translation>Gain</translation>
    </message>
    <message>
        <source>%1 mm/mV</source>
        <translation>%1 mm/mV</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Ouvrir un fichier &amp;récent</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>ECG files and images</source>
        <translation>Fichiers ECG et images</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Tous les fichiers</translation>
    </message>
    <message>
        <source>Open ECG</source>
        <translation>Ouvrir un ECG</translation>
    </message>
    <message>
        <source>The sample ECG is not installed (%1).</source>
        <translation>L&apos;ECG d&apos;exemple n&apos;est pas installé (%1).</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Ouverture de %1…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>Lecture du fichier…</translation>
    </message>
    <message>
        <source>Drawing the ECG…</source>
        <translation>Tracé de l&apos;ECG…</translation>
    </message>
    <message>
        <source>Finding the paper in the photo…</source>
        <translation>Recherche du papier dans la photo…</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Chargement du modèle…</translation>
    </message>
    <message>
        <source>Searching for similar cases…</source>
        <translation>Recherche de cas similaires…</translation>
    </message>
    <message>
        <source>heart rate about %1/min (from the rhythm strip)</source>
        <translation>fréquence cardiaque d’environ %1/min (bande de rythme)</translation>
    </message>
    <message>
        <source>regular</source>
        <translation>régulier</translation>
    </message>
    <message>
        <source>irregular</source>
        <translation>irrégulier</translation>
    </message>
    <message>
        <source>heart rate %1/min, %2</source>
        <translation>fréquence cardiaque %1/min, %2</translation>
    </message>
    <message>
        <source>Report saved: %1</source>
        <translation>Rapport enregistré : %1</translation>
    </message>
    <message>
        <source>If this is an ECG printout, drag the green circles onto the corners of its grid and search again.</source>
        <translation>S’il s’agit d’un tracé ECG imprimé, faites glisser les cercles verts sur les coins de sa grille et relancez la recherche.</translation>
    </message>
    <message>
        <source>%1 similar cases found in %2 s.</source>
        <translation>%1 cas similaires trouvés en %2 s.</translation>
    </message>
    <message>
        <source>Similar cases are not available: %1</source>
        <translation>Les cas similaires ne sont pas disponibles : %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — photo or scan of a paper ECG, read as 25 mm/s and 10 mm/mV</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — photo ou numérisation d&apos;un ECG sur papier, lue à 25 mm/s et 10 mm/mV</translation>
    </message>
    <message>
        <source>%1 leads, %2 s at %3 Hz</source>
        <translation>%1 dérivations, %2 s à %3 Hz</translation>
    </message>
    <message>
        <source>Calipers: click two points on the ECG.</source>
        <translation>Compas : cliquez sur deux points de l&apos;ECG.</translation>
    </message>
    <message>
        <source>(assuming 25 mm/s, 10 mm/mV)</source>
        <translation>(en supposant 25 mm/s, 10 mm/mV)</translation>
    </message>
    <message>
        <source>Calipers: %1</source>
        <translation>Compas : %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Case %1&lt;/b&gt; — %2% similar · %3 · same scale as the query</source>
        <translation>&lt;b&gt;Cas %1&lt;/b&gt; — similaire à %2 % · %3 · même échelle que l&apos;ECG étudié</translation>
    </message>
    <message>
        <source>Loading the case&apos;s tracing…</source>
        <translation>Chargement du tracé du cas…</translation>
    </message>
    <message>
        <source>The tracings of past cases are not installed: only their statements and reports are shown.</source>
        <translation>Les tracés des cas antérieurs ne sont pas installés : seuls leurs conclusions et comptes rendus sont affichés.</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Exporter en PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Printed at true scale: 25 mm/s, 10 mm/mV, 1 small square = 1 mm.</source>
        <translation>Imprimé à l&apos;échelle réelle : 25 mm/s, 10 mm/mV, 1 petit carreau = 1 mm.</translation>
    </message>
    <message>
        <source>Clinic case %1 saved: it is found by the next searches.</source>
        <translation>Cas de la clinique %1 enregistré : les prochaines recherches le trouveront.</translation>
    </message>
    <message>
        <source>&amp;Next file (%1 waiting)</source>
        <translation>Fichier &amp;suivant (%1 en attente)</translation>
    </message>
</context>
<context>
    <name>SerialDialog</name>
    <message>
        <source>Earlier ECGs of patient %1</source>
        <translation>ECG antérieurs du patient %1</translation>
    </message>
    <message>
        <source>This ECG</source>
        <translation>Cet ECG</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <extracomment>Shipped UI languages: code -&gt; name in that language (never translated). Where similar cases come from, as stored: both bases, or one of them.</extracomment>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>Processeur (CPU)</translation>
    </message>
    <message>
        <source>CUDA (NVIDIA GPU)</source>
        <translation>CUDA (GPU NVIDIA)</translation>
    </message>
    <message>
        <source>Compute device:</source>
        <translation>Unité de calcul :</translation>
    </message>
    <message>
        <source>CUDA is used only after a test inference on it works; otherwise the CPU is used and the window says so.</source>
        <translation>CUDA n&apos;est utilisé qu&apos;après un essai réussi ; sinon le processeur est utilisé et la fenêtre l&apos;indique.</translation>
    </message>
    <message>
        <source>CUDA is not available on this computer: ecgviewer uses the CPU.</source>
        <translation>CUDA n&apos;est pas disponible sur cet ordinateur : ecgviewer utilise le processeur.</translation>
    </message>
    <message>
        <source>Number of similar cases:</source>
        <translation>Nombre de cas similaires :</translation>
    </message>
    <message>
        <source>Bundled and clinic cases</source>
        <translation>Cas fournis et cas de la clinique</translation>
    </message>
    <message>
        <source>Bundled cases only (PTB-XL)</source>
        <translation>Cas fournis seulement (PTB-XL)</translation>
    </message>
    <message>
        <source>This clinic&apos;s cases only</source>
        <translation>Cas de cette clinique seulement</translation>
    </message>
    <message>
        <source>Similar cases from:</source>
        <translation>Cas similaires parmi :</translation>
    </message>
    <message>
        <source>Default layout:</source>
        <translation>Disposition par défaut :</translation>
    </message>
    <message>
        <source>%1 mm/s</source>
        <translation>%1 mm/s</translation>
    </message>
    <message>
        <source>Default paper speed:</source>
        <translation>Vitesse de déroulement par défaut :</translation>
    </message>
    <message>
        <source>%1 mm/mV</source>
        <translation>%1 mm/mV</translation>
    </message>
    <message>
        <source>Default gain:</source>
        <translation>Gain par défaut :</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue :</translation>
    </message>
    <message>
        <source>A new language applies when ecgviewer is restarted.</source>
        <translation>La nouvelle langue s&apos;applique au redémarrage d&apos;ecgviewer.</translation>
    </message>
</context>
</TS>
