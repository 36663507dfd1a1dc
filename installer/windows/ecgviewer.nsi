; ecgviewer Windows installer (NSIS 3, Unicode).
;
; Wraps the PyInstaller onedir bundle (dist\ecgviewer) into one setup .exe.
; Built by installer\build_windows.ps1; by hand, from the repository root:
;
;   makensis /DVERSION=0.1.0 /DBUNDLE_DIR=dist\ecgviewer /DOUTFILE=dist\ecgviewer-0.1.0-setup.exe installer\windows\ecgviewer.nsi
;
; Installs per user by default, without administrator rights:
;   %LOCALAPPDATA%\Programs\ecgviewer, Start-menu and desktop shortcuts, file types
;   and an entry in "Installed apps" under HKCU.
; For every user: run the setup as administrator with /ALLUSERS
;   (%ProgramFiles%\ecgviewer, HKLM). Silent: add /S; another folder: /D=C:\path (last).
; Updating: run a newer setup over the old one; settings and logs are kept.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\..\dist\ecgviewer"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\ecgviewer-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "..\..\resources\icons\ecgviewer.ico"
!endif

!define APP "ecgviewer"
!define APP_NAME "ECG Viewer"
!define PUBLISHER "ecgviewer developers"
!define EXE "ecgviewer.exe"
!define CLI_EXE "ecgviewer-cli.exe"
!define PROGID "ecgviewer.ecg"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define APP_PATHS_KEY "Software\Microsoft\Windows\CurrentVersion\App Paths\${EXE}"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
RequestExecutionLevel user
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP_NAME} ${VERSION}"

!ifndef VI_VERSION
  !define VI_VERSION "${VERSION}.0"  ; four numbers, as Windows version resources need
!endif
VIProductVersion "${VI_VERSION}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=1033 "LegalCopyright" "MIT licence"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"
!define MUI_LANGDLL_REGISTRY_ROOT "SHCTX"
!define MUI_LANGDLL_REGISTRY_KEY "Software\${APP}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "Spanish"
!insertmacro MUI_LANGUAGE "Portuguese"
!insertmacro MUI_LANGUAGE "PortugueseBR"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString RunNow ${LANG_ENGLISH} "Start ${APP_NAME} now"
LangString RunNow ${LANG_FRENCH} "Lancer ${APP_NAME} maintenant"
LangString RunNow ${LANG_SPANISH} "Iniciar ${APP_NAME} ahora"
LangString RunNow ${LANG_PORTUGUESE} "Iniciar o ${APP_NAME} agora"
LangString RunNow ${LANG_PORTUGUESEBR} "Iniciar o ${APP_NAME} agora"
LangString SecApp ${LANG_ENGLISH} "${APP_NAME} (required)"
LangString SecApp ${LANG_FRENCH} "${APP_NAME} (obligatoire)"
LangString SecApp ${LANG_SPANISH} "${APP_NAME} (obligatorio)"
LangString SecApp ${LANG_PORTUGUESE} "${APP_NAME} (obrigatório)"
LangString SecApp ${LANG_PORTUGUESEBR} "${APP_NAME} (obrigatório)"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktop ${LANG_FRENCH} "Raccourci sur le bureau"
LangString SecDesktop ${LANG_SPANISH} "Acceso directo en el escritorio"
LangString SecDesktop ${LANG_PORTUGUESE} "Atalho no ambiente de trabalho"
LangString SecDesktop ${LANG_PORTUGUESEBR} "Atalho na área de trabalho"
LangString SecAssoc ${LANG_ENGLISH} "Open ECG files (.hea, .edf, .bdf) with ${APP_NAME}"
LangString SecAssoc ${LANG_FRENCH} "Ouvrir les fichiers ECG (.hea, .edf, .bdf) avec ${APP_NAME}"
LangString SecAssoc ${LANG_SPANISH} "Abrir los archivos ECG (.hea, .edf, .bdf) con ${APP_NAME}"
LangString SecAssoc ${LANG_PORTUGUESE} "Abrir ficheiros ECG (.hea, .edf, .bdf) com o ${APP_NAME}"
LangString SecAssoc ${LANG_PORTUGUESEBR} "Abrir arquivos de ECG (.hea, .edf, .bdf) com o ${APP_NAME}"
LangString DescApp ${LANG_ENGLISH} "The viewer, the model and the case base. Works offline."
LangString DescApp ${LANG_FRENCH} "Le visualiseur, le modèle et la base de cas. Fonctionne hors ligne."
LangString DescApp ${LANG_SPANISH} "El visor, el modelo y la base de casos. Funciona sin conexión."
LangString DescApp ${LANG_PORTUGUESE} "O visualizador, o modelo e a base de casos. Funciona offline."
LangString DescApp ${LANG_PORTUGUESEBR} "O visualizador, o modelo e a base de casos. Funciona offline."
LangString DescDesktop ${LANG_ENGLISH} "An icon on the desktop."
LangString DescDesktop ${LANG_FRENCH} "Une icône sur le bureau."
LangString DescDesktop ${LANG_SPANISH} "Un icono en el escritorio."
LangString DescDesktop ${LANG_PORTUGUESE} "Um ícone no ambiente de trabalho."
LangString DescDesktop ${LANG_PORTUGUESEBR} "Um ícone na área de trabalho."
LangString DescAssoc ${LANG_ENGLISH} "Double-click opens these ECG files; XML, DICOM, CSV and images get an 'Open with' entry only."
LangString DescAssoc ${LANG_FRENCH} "Un double-clic ouvre ces fichiers ECG ; XML, DICOM, CSV et images ont seulement une entrée « Ouvrir avec »."
LangString DescAssoc ${LANG_SPANISH} "El doble clic abre estos archivos ECG; XML, DICOM, CSV e imágenes solo reciben una entrada «Abrir con»."
LangString DescAssoc ${LANG_PORTUGUESE} "O duplo clique abre estes ficheiros ECG; XML, DICOM, CSV e imagens só têm uma entrada 'Abrir com'."
LangString DescAssoc ${LANG_PORTUGUESEBR} "O clique duplo abre estes arquivos de ECG; XML, DICOM, CSV e imagens só ganham uma entrada 'Abrir com'."
LangString NeedAdmin ${LANG_ENGLISH} "/ALLUSERS needs administrator rights: right-click the setup and choose 'Run as administrator'."
LangString NeedAdmin ${LANG_FRENCH} "/ALLUSERS demande les droits d'administrateur : clic droit sur l'installateur, « Exécuter en tant qu'administrateur »."
LangString NeedAdmin ${LANG_SPANISH} "/ALLUSERS necesita derechos de administrador: clic derecho en el instalador, «Ejecutar como administrador»."
LangString NeedAdmin ${LANG_PORTUGUESE} "/ALLUSERS precisa de direitos de administrador: clique com o botão direito e 'Executar como administrador'."
LangString NeedAdmin ${LANG_PORTUGUESEBR} "/ALLUSERS precisa de direitos de administrador: clique com o botão direito e 'Executar como administrador'."
LangString Need64 ${LANG_ENGLISH} "${APP_NAME} needs 64-bit Windows 10 or later."
LangString Need64 ${LANG_FRENCH} "${APP_NAME} nécessite Windows 10 64 bits ou plus récent."
LangString Need64 ${LANG_SPANISH} "${APP_NAME} necesita Windows 10 de 64 bits o posterior."
LangString Need64 ${LANG_PORTUGUESE} "O ${APP_NAME} precisa do Windows 10 de 64 bits ou posterior."
LangString Need64 ${LANG_PORTUGUESEBR} "O ${APP_NAME} precisa do Windows 10 de 64 bits ou posterior."

Var AllUsers

; --- file types -------------------------------------------------------------------------
; Own the ECG-only extensions when no other program does; otherwise only add "Open with".
!macro AssocOwn EXT
  ReadRegStr $0 SHCTX "Software\Classes\${EXT}" ""
  ${If} $0 == ""
  ${OrIf} $0 == "${PROGID}"
    WriteRegStr SHCTX "Software\Classes\${EXT}" "" "${PROGID}"
  ${EndIf}
  WriteRegStr SHCTX "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${EXE}\SupportedTypes" "${EXT}" ""
!macroend
!macro AssocOpenWith EXT
  WriteRegStr SHCTX "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${EXE}\SupportedTypes" "${EXT}" ""
!macroend
!macro UnAssoc EXT
  ReadRegStr $0 SHCTX "Software\Classes\${EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue SHCTX "Software\Classes\${EXT}" ""
  ${EndIf}
  DeleteRegValue SHCTX "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty SHCTX "Software\Classes\${EXT}\OpenWithProgids"
  DeleteRegKey /ifempty SHCTX "Software\Classes\${EXT}"
!macroend

!macro ChooseContext
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${Else}
    StrCpy $AllUsers 0
  ${EndIf}
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(Need64)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  !insertmacro ChooseContext
  ; $INSTDIR is still InstallDir's default unless /D= was given; /D= always wins.
  StrCpy $R9 "$LOCALAPPDATA\Programs\${APP}"
  ${If} $AllUsers == 1
    UserInfo::GetAccountType
    Pop $0
    ${If} $0 != "admin"
      MessageBox MB_ICONSTOP "$(NeedAdmin)" /SD IDOK
      SetErrorLevel 740  ; ERROR_ELEVATION_REQUIRED
      Quit
    ${EndIf}
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
  ${If} $INSTDIR == $R9
    ${If} $AllUsers == 1
      StrCpy $INSTDIR "$PROGRAMFILES64\${APP}"
    ${EndIf}
    ; Updating: install where the earlier version is.
    ReadRegStr $0 SHCTX "${UNINST_KEY}" "InstallLocation"
    ${If} $0 != ""
      StrCpy $INSTDIR $0
    ${EndIf}
  ${EndIf}
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "$(SecApp)" SEC_APP
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; A newer bundle may drop libraries: clear the old ones, keep nothing stale.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  ; Where `ecgviewer` resolves from Run (Win+R) and from a command prompt's "start".
  WriteRegStr SHCTX "${APP_PATHS_KEY}" "" "$INSTDIR\${EXE}"
  WriteRegStr SHCTX "${APP_PATHS_KEY}" "Path" "$INSTDIR"

  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "AllUsers" $AllUsers
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecDesktop)" SEC_DESKTOP
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
SectionEnd

Section "$(SecAssoc)" SEC_ASSOC
  WriteRegStr SHCTX "Software\Classes\${PROGID}" "" "ECG recording"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" gui "%1"'
  WriteRegStr SHCTX "Software\Classes\Applications\${EXE}" "FriendlyAppName" "${APP_NAME}"
  WriteRegStr SHCTX "Software\Classes\Applications\${EXE}\shell\open\command" "" '"$INSTDIR\${EXE}" gui "%1"'
  !insertmacro AssocOwn ".hea"
  !insertmacro AssocOwn ".edf"
  !insertmacro AssocOwn ".bdf"
  !insertmacro AssocOpenWith ".xml"
  !insertmacro AssocOpenWith ".dcm"
  !insertmacro AssocOpenWith ".csv"
  !insertmacro AssocOpenWith ".png"
  !insertmacro AssocOpenWith ".jpg"
  !insertmacro AssocOpenWith ".jpeg"
  !insertmacro AssocOpenWith ".pdf"
  WriteRegDWORD SHCTX "${UNINST_KEY}" "FileTypes" 1
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_APP} "$(DescApp)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_DESKTOP} "$(DescDesktop)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_ASSOC} "$(DescAssoc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; --- uninstaller ----------------------------------------------------------------------------
Function un.onInit
  SetRegView 64
  ; Installed for all users when HKLM's entry points at this folder.
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 == $INSTDIR
    UserInfo::GetAccountType
    Pop $1
    ${If} $1 != "admin"
      MessageBox MB_ICONSTOP "$(NeedAdmin)" /SD IDOK
      SetErrorLevel 740
      Quit
    ${EndIf}
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  !insertmacro UnAssoc ".hea"
  !insertmacro UnAssoc ".edf"
  !insertmacro UnAssoc ".bdf"
  !insertmacro UnAssoc ".xml"
  !insertmacro UnAssoc ".dcm"
  !insertmacro UnAssoc ".csv"
  !insertmacro UnAssoc ".png"
  !insertmacro UnAssoc ".jpg"
  !insertmacro UnAssoc ".jpeg"
  !insertmacro UnAssoc ".pdf"
  DeleteRegKey SHCTX "Software\Classes\${PROGID}"
  DeleteRegKey SHCTX "Software\Classes\Applications\${EXE}"
  DeleteRegKey SHCTX "${APP_PATHS_KEY}"
  DeleteRegKey SHCTX "${UNINST_KEY}"
  DeleteRegValue SHCTX "Software\${APP}" "InstallerLanguage"
  DeleteRegKey /ifempty SHCTX "Software\${APP}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; Only what the installer put there; user settings (registry HKCU\Software\ecgviewer)
  ; and the log (%APPDATA%\ecgviewer\ecgviewer\ecgviewer.log) stay, so a reinstall keeps them.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
