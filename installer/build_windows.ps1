<#
.SYNOPSIS
    Build the Windows installer: dist\ecgviewer-<version>-setup.exe

.DESCRIPTION
    Run on a 64-bit Windows 10/11 machine (PyInstaller cannot cross-build Windows bundles),
    from any folder:

        powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
        powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1 -Fresh

    Needs: Python 3.10-3.12 (64-bit, python.org or `winget install Python.Python.3.11`),
    NSIS 3 (`winget install NSIS.NSIS`, or https://nsis.sourceforge.io), and the trained
    model and case base in resources\ (see docs\installing.md).

    Steps: a runtime-only venv (build\venv-runtime-win: `pip install .[build]`, never the
    training extras), PyInstaller with installer\ecgviewer.spec (dist\ecgviewer\ with
    ecgviewer.exe and its console twin ecgviewer-cli.exe), a smoke test of the bundle
    (info, render, --self-test), then makensis with installer\windows\ecgviewer.nsi.

.PARAMETER Python
    The Python launcher command for the venv (default: "py -3.11", else "python").
.PARAMETER Fresh
    Delete and recreate the runtime venv first.
.PARAMETER NoInstaller
    Stop after the bundle (skip makensis).
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [switch]$Fresh,
    [switch]$NoInstaller
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root

function Step($text) { Write-Host "`n==> $text" -ForegroundColor Cyan }
function Run {
    # Run a native command; stop on a non-zero exit code (PowerShell 5 does not).
    # A simple function on purpose: "-m", "--clean"... reach $args untouched.
    $exe = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "$exe $($rest -join ' ') failed with exit code $LASTEXITCODE" }
}

# --- 1. runtime-only virtual environment ----------------------------------------------------
$Venv = Join-Path $Root "build\venv-runtime-win"
$VenvPy = Join-Path $Venv "Scripts\python.exe"
if ($Fresh -and (Test-Path $Venv)) { Remove-Item -Recurse -Force $Venv }
if (-not (Test-Path $VenvPy)) {
    Step "creating $Venv"
    if ($Python) {
        $parts = @($Python -split "\s+" | Where-Object { $_ })
        $launcher = @($parts | Select-Object -Skip 1)
        Run $parts[0] @launcher -m venv $Venv
    } elseif (Get-Command py -ErrorAction SilentlyContinue) {
        Run py -3.11 -m venv $Venv
    } else {
        Run python -m venv $Venv
    }
    Run $VenvPy -m pip install -q --upgrade pip
}
Step "installing ecgviewer and PyInstaller into $Venv"
Run $VenvPy -m pip install -q --upgrade ".[build]"
Run $VenvPy -m pip install -q --no-deps --force-reinstall .
& $VenvPy -c "import importlib.util as u, sys; sys.exit(0 if u.find_spec('torch') else 1)"
if ($LASTEXITCODE -eq 0) { throw "torch is installed in ${Venv}: use a runtime-only venv (-Fresh)" }
$Version = (& $VenvPy -c "import ecgviewer; print(ecgviewer.__version__)").Trim()
# Windows version resources need four numbers: 0.1.0rc1 -> 0.1.0.0
$Numeric = ([regex]::Matches($Version, "\d+") | Select-Object -First 3 | ForEach-Object { $_.Value }) -join "."
while (($Numeric -split "\.").Count -lt 3) { $Numeric += ".0" }

# --- 2. PyInstaller -------------------------------------------------------------------------
Step "PyInstaller (ecgviewer $Version)"
if (Test-Path dist\ecgviewer) { Remove-Item -Recurse -Force dist\ecgviewer }
Run (Join-Path $Venv "Scripts\pyinstaller.exe") --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller-win installer\ecgviewer.spec
$Bundle = Join-Path $Root "dist\ecgviewer"
$Cli = Join-Path $Bundle "ecgviewer-cli.exe"

# --- 3. smoke test --------------------------------------------------------------------------
Step "smoke test"
$Sample = Join-Path $Bundle "_internal\resources\samples\demo_ecg.hea"
$Tmp = Join-Path ([IO.Path]::GetTempPath()) ("ecgviewer-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory $Tmp | Out-Null
$env:QT_QPA_PLATFORM = "offscreen"
try {
    Run $Cli --version
    Run $Cli info $Sample
    Run $Cli render $Sample -o (Join-Path $Tmp "demo.png")
    if (Test-Path (Join-Path $Bundle "_internal\resources\model\encoder.onnx")) {
        Run $Cli --self-test
    } else {
        Write-Warning "no resources\model\encoder.onnx: this bundle cannot search similar cases"
    }
} finally {
    Remove-Item Env:QT_QPA_PLATFORM
    Remove-Item -Recurse -Force $Tmp
}
$BundleMB = [math]::Round(((Get-ChildItem -Recurse -File $Bundle | Measure-Object Length -Sum).Sum / 1048576), 1)
Write-Host "bundle: $Bundle ($BundleMB MB)"
if ($NoInstaller) { exit 0 }

# --- 4. NSIS installer ----------------------------------------------------------------------
Step "NSIS installer"
$Makensis = $null
$found = Get-Command makensis -ErrorAction SilentlyContinue
if ($found) { $Makensis = $found.Source }
if (-not $Makensis) {
    foreach ($dir in @(${env:ProgramFiles(x86)}, $env:ProgramFiles)) {
        if ($dir -and (Test-Path (Join-Path $dir "NSIS\makensis.exe"))) {
            $Makensis = Join-Path $dir "NSIS\makensis.exe"; break
        }
    }
}
if (-not $Makensis) { throw "makensis not found: install NSIS 3 (winget install NSIS.NSIS)" }
$Out = Join-Path $Root "dist\ecgviewer-$Version-setup.exe"
Run $Makensis /V2 /WX "/DVERSION=$Version" "/DVI_VERSION=$Numeric.0" "/DBUNDLE_DIR=$Bundle" `
    "/DOUTFILE=$Out" "/DICON=$(Join-Path $Root 'resources\icons\ecgviewer.ico')" `
    installer\windows\ecgviewer.nsi
$Hash = (Get-FileHash -Algorithm SHA256 $Out).Hash.ToLower()
"$Hash  $(Split-Path -Leaf $Out)" | Set-Content -Encoding ascii "$Out.sha256"

Step "done"
$SetupMB = [math]::Round((Get-Item $Out).Length / 1048576, 1)
Write-Host "installer: $Out ($SetupMB MB; bundle $BundleMB MB unpacked)"
Write-Host "sha256:    $Hash"
Write-Host "test it:   $Out /S   then   `"$env:LOCALAPPDATA\Programs\ecgviewer\ecgviewer-cli.exe`" --self-test"
