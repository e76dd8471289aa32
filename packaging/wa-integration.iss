; Inno Setup 6.3+ script for the Windows installer of WA-Integration.
;
; Build on Windows, from the repository root, after the PyInstaller one-folder build:
;   pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\wa-integration.spec
;   iscc /DAppVersion=0.1.0 packaging\wa-integration.iss
; Output: dist\WA-Integration-<version>-setup.exe
;
; Paths below are relative to this script's folder (packaging\).
;
; User data: the program keeps its database, session, backups and logs in the per-user
; platformdirs locations (%LOCALAPPDATA%\WA-Integration and its Logs folder), never next to the
; executable. The installer neither creates nor deletes them: uninstalling removes the program
; files only, so the data survives an uninstall and a reinstall or upgrade picks it up again.

#ifndef AppVersion
  ; keep equal to app/__init__.py __version__ (or pass /DAppVersion=... to iscc)
  #define AppVersion "0.1.0"
#endif
#define AppName "WA-Integration"
#define AppExeName "wa-integration.exe"
#define AppPublisher "WA-Integration"

[Setup]
; AppId identifies the program for upgrades and uninstall: never change it
AppId={{6D3C2F0A-8B1E-4C57-9E2A-4F1B7C9D2E31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
; VersionInfoVersion needs a numeric version (1.2.3); drop it for pre-release versions
VersionInfoVersion={#AppVersion}
; per-user install by default (no admin rights needed, into %LOCALAPPDATA%\Programs);
; the user may choose an install for all users (Program Files, needs admin) in a dialog,
; or with /ALLUSERS and /CURRENTUSER on the command line
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
DefaultDirName={autopf}\WA-Integration
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=icon.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
OutputDir=..\dist
OutputBaseFilename=WA-Integration-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; the program may be running (as the bot): ask to close it before files are replaced
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the whole bundle, so no module of the old version is left behind
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; the PyInstaller one-folder output: wa-integration.exe and _internal\
Source: "..\dist\wa-integration\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Comment: "WhatsApp bot with live plant data"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entries on purpose: the user's data lives outside {app} (see the top)
; and must survive an uninstall.
