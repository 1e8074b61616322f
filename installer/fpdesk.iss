; Inno Setup 6 script: wraps the PyInstaller bundle into fpdesk-<version>-setup.exe.
;
; Built by build_installer.py on Windows, which runs
;   ISCC /DAppVersion=0.1.0 /DBundleDir=<repo>\dist\fpdesk /DOutputDir=<repo>\dist installer\fpdesk.iss
;
; Installs for the current user without administrator rights (into %LOCALAPPDATA%\Programs\fpdesk), asking the
; clerk nothing she cannot answer; a technician can install for all users with /ALLUSERS. Start-menu shortcuts
; (the program, the demo village, the uninstaller) and a desktop shortcut. The uninstaller removes only what setup
; installed: the clerk's data folder %APPDATA%\fpdesk (village file, backups, logs) is left alone, and the
; uninstaller says so.
;
; Chinese wizard texts: recent Inno Setup 6 releases ship Languages\ChineseSimplified.isl (a 6.5.0+ translation);
; with an older one, put the translation from https://jrsoftware.org/files/istrans/ next to this script.
; This file is UTF-8 with a byte-order mark, which Inno Setup needs to read the Chinese in it.

#ifndef AppVersion
  #error AppVersion is not defined: build with build_installer.py (ISCC /DAppVersion=...)
#endif
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\dist\fpdesk"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\dist"
#endif

#define AppName "村级计生台账"
#define AppExe "fpdesk.exe"

[Setup]
; AppId identifies the program across versions (upgrades install over it): never change it.
AppId={{6F3B2C1E-8D4A-4E7B-9C15-2A7D5E0F4B93}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=fpdesk
AppComments=村级计划生育“一牌一单一卡两册”台账、逻辑校验、自评得分与月报
VersionInfoVersion={#AppVersion}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\fpdesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
; Qt 6 runs on 64-bit Windows 10 (1809) and later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename=fpdesk-{#AppVersion}-setup
SetupIconFile=..\resources\icons\fpdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; Setup asks to close a running fpdesk before replacing its files.
CloseApplications=yes
RestartApplications=no

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: use a recent Inno Setup 6, or put the translation from https://jrsoftware.org/files/istrans/ next to fpdesk.iss
#endif

[CustomMessages]
chs.DemoShortcut=演示村（练习用）
chs.ProgramComment=打开本村的台账
chs.DemoComment=打开演示村，先练习怎么用，不影响本村数据
chs.DataKept=程序已卸载。%n%n本村的数据文件和备份没有删除，仍在：%n%1%n%n重新安装后会自动打开。如果确实不再需要，请先复制到U盘保存，再自行删除这个文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; The libraries of the version being replaced: files a newer bundle no longer has must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:ProgramComment}"
Name: "{group}\{cm:DemoShortcut}"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; Comment: "{cm:DemoComment}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:ProgramComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the village file, its backups and the logs live in %APPDATA%\fpdesk,
; outside {app}, and are the clerk's records, not the program's.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
  begin
    DataDir := ExpandConstant('{userappdata}\fpdesk');
    if DirExists(DataDir) then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
