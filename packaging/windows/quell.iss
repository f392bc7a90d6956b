; Inno Setup (6.3 or later) script for Quell on Windows: installs the PyInstaller one-folder build.
;
; From the repository root, on Windows:
;   pyinstaller --noconfirm --clean packaging\pyinstaller\quell.spec
;   iscc packaging\windows\quell.iss
; Result: dist\Quell-<version>-setup.exe. Another build folder: iscc /DDistDir=C:\path\to\Quell ...
;
; A per-user install by default (no administrator rights needed; the setup offers an all-users
; install too). User data (%LOCALAPPDATA%\Quell) is left in place on uninstall.

#define AppName "Quell"
#define AppId "io.github.quellapp.Quell"
#define AppExe "Quell.exe"
#define AppPublisher "The Quell developers"

#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\..\dist\Quell"
#endif
#if !FileExists(DistDir + "\" + AppExe)
  #error "No PyInstaller build found: run pyinstaller packaging\pyinstaller\quell.spec first (or pass /DDistDir=...)"
#endif
; One source of truth: the version the spec wrote into Quell.exe from desktop/quell/__init__.py.
#define AppVersion GetStringFileInfo(DistDir + "\" + AppExe, "ProductVersion")

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppCopyright=MIT License, {#AppPublisher}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; Qt 6 needs 64-bit Windows 10 1809 or later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; Quell runs in the tray: close it (Restart Manager) before files are replaced or removed.
CloseApplications=yes
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no
; Relative to this script's folder.
OutputDir=..\..\dist
OutputBaseFilename=Quell-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.AutostartTask=Start Quell when I sign in
en.AutostartGroup=Reminders work only while Quell is running:
en.LaunchNow=Start Quell now

[Tasks]
Name: "autostart"; Description: "{cm:AutostartTask}"; GroupDescription: "{cm:AutostartGroup}"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A previous version's bundled libraries: start from a clean folder so no stale module lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
; AppUserModelID ties Windows notifications to this shortcut; the app should set the same id
; (SetCurrentProcessExplicitAppUserModelID) so its toasts show Quell's name and icon.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "{#AppId}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "{#AppId}"; Tasks: desktopicon

[Registry]
; Sign-in start, per user: the same value Quell's own "Start Quell when I log in" setting and
; `quell autostart` write (desktop/quell/platform/autostart.py: value name "Quell", the program with
; --background, which starts Quell in the tray without opening a window), so both see and
; change the same entry.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#AppName}"; ValueData: """{app}\{#AppExe}"" --background"; Flags: uninsdeletevalue; Tasks: autostart
; Whatever set it (this installer or the app), remove the entry and Windows' on/off record of it
; when Quell is uninstalled.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: none; ValueName: "{#AppName}"; Flags: dontcreatekey uninsdeletevalue
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"; ValueType: none; ValueName: "{#AppName}"; Flags: dontcreatekey uninsdeletevalue
; Earlier setups named the value by the app id (and started Quell with its window): remove it.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: none; ValueName: "{#AppId}"; Flags: dontcreatekey deletevalue uninsdeletevalue
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"; ValueType: none; ValueName: "{#AppId}"; Flags: dontcreatekey deletevalue uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchNow}"; Flags: nowait postinstall skipifsilent
