<#
.SYNOPSIS
    Moves the users of wave 03 (50 users) back from Teams Only to Skype for Business
    Server.

.DESCRIPTION
    Written by hybridready beside move-wave-03.ps1, to undo it. Runs on a Skype
    for Business Server admin box, as a dry run (-WhatIf) unless -Apply is given.
    Only users homed online are moved back; the others are skipped, so running it
    again resumes. Moves back from the cloud no longer bring contacts back (since
    November 2023), and each moved-back user must exist in on-premises AD.

.LINK
    https://learn.microsoft.com/powershell/module/skype/move-csuser
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
    # Move for real: without it, every move is a dry run (-WhatIf).
    [switch] $Apply,
    # A Microsoft 365 admin for Move-CsUser. Without it, moves run one at a time.
    [System.Management.Automation.PSCredential] $Credential,
    # The on-premises registrar pool (FQDN) the users move back to.
    [Parameter(Mandatory = $true)] [string] $RegistrarPool,
    # Moves run at once, and retries of the failed ones.
    [ValidateRange(1, 100)] [int] $Parallel = 25,
    [ValidateRange(0, 10)] [int] $Retries = 3,
    # Where Move-CsUser's per-user reports and this run's results go.
    [string] $ReportFolder = (Join-Path $PSScriptRoot 'rollback-wave-03-reports')
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$Wave = '03'
$OnlineTarget = 'sipfed.online.lync.com'
$Destination = $RegistrarPool
$MoveOptions = @{
    Target  = $Destination
    Confirm = $false
}

# The users of this wave: the identity the cmdlets are given (the SIP address, or the DN
# when another user holds the same SIP address), then SIP address, UPN and DN as exported.
$Users = @(
    @{ Id = 'sip:cynthia.bianchi@contoso.com'; Sip = 'sip:cynthia.bianchi@contoso.com'; Upn = 'cynthia.bianchi@contoso.com'; Dn = 'CN=Cynthia Bianchi,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:amanda.brandao@fabrikam.com'; Sip = 'sip:amanda.brandao@fabrikam.com'; Upn = 'amanda.brandao@fabrikam.com'; Dn = 'CN=Amanda Brandão,OU=Contractors,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:amanda.parker@contoso.com'; Sip = 'sip:amanda.parker@contoso.com'; Upn = 'amanda.parker@corp.contoso.local'; Dn = 'CN=Amanda Parker,OU=Contractors,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:amy.jones@contoso.com'; Sip = 'sip:amy.jones@contoso.com'; Upn = 'amy.jones@corp.contoso.local'; Dn = 'CN=Amy Jones,OU=Support,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:angel.goncalves@contoso.com'; Sip = 'sip:angel.goncalves@contoso.com'; Upn = 'angel.goncalves@corp.contoso.local'; Dn = 'CN=Ángel Gonçalves,OU=Support,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:angela.roberts@contoso.com'; Sip = 'sip:angela.roberts@contoso.com'; Upn = 'angela.roberts@corp.contoso.local'; Dn = 'CN=Angela Roberts,OU=Sales,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:aurelie.lee@contoso.com'; Sip = 'sip:aurelie.lee@contoso.com'; Upn = 'aurelie.lee@corp.contoso.local'; Dn = 'CN=Aurélie Lee,OU=Sales,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:barbara.taylor@contoso.com'; Sip = 'sip:barbara.taylor@contoso.com'; Upn = 'barbara.taylor@corp.contoso.local'; Dn = 'CN=Barbara Taylor,OU=Support,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:benjamin.lambert@contoso.com'; Sip = 'sip:benjamin.lambert@contoso.com'; Upn = 'benjamin.lambert@corp.contoso.local'; Dn = 'CN=Benjamin Lambert,OU=Sales,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:brian.brown@contoso.com'; Sip = 'sip:brian.brown@contoso.com'; Upn = 'brian.brown@contoso.com'; Dn = 'CN=Brian Brown,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:chloe.wood@contoso.com'; Sip = 'sip:chloe.wood@contoso.com'; Upn = 'chloe.wood@corp.contoso.local'; Dn = 'CN=Chloé Wood,OU=Finance,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:deborah.stewart@fabrikam.com'; Sip = 'sip:deborah.stewart@fabrikam.com'; Upn = 'deborah.stewart@fabrikam.com'; Dn = 'CN=Deborah Stewart,OU=Contractors,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:deborah.tanaka@contoso.com'; Sip = 'sip:deborah.tanaka@contoso.com'; Upn = 'deborah.tanaka@corp.contoso.local'; Dn = 'CN=Deborah Tanaka,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:donna.collins@contoso.com'; Sip = 'sip:donna.collins@contoso.com'; Upn = 'donna.collins@corp.contoso.local'; Dn = 'CN=Donna Collins,OU=Sales,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:donna.soderberg@contoso.com'; Sip = 'sip:donna.soderberg@contoso.com'; Upn = 'donna.soderberg@contoso.com'; Dn = 'CN=Donna Söderberg,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:fatima.jackson@contoso.com'; Sip = 'sip:fatima.jackson@contoso.com'; Upn = 'fatima.jackson@contoso.com'; Dn = 'CN=Fatima Jackson,OU=Engineering,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:fatima.tran@contoso.com'; Sip = 'sip:fatima.tran@contoso.com'; Upn = 'fatima.tran@corp.contoso.local'; Dn = 'CN=Fatima Tran,OU=Support,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:francois.rogers@contoso.com'; Sip = 'sip:francois.rogers@contoso.com'; Upn = 'francois.rogers@corp.contoso.local'; Dn = 'CN=François Rogers,OU=Finance,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:helen.miller@contoso.com'; Sip = 'sip:helen.miller@contoso.com'; Upn = 'helen.miller@corp.contoso.local'; Dn = 'CN=Helen Miller,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:ines.cote@contoso.com'; Sip = 'sip:ines.cote@contoso.com'; Upn = 'ines.cote@corp.contoso.local'; Dn = 'CN=Inês Côté,OU=Sales,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:jennifer.rossi@contoso.com'; Sip = 'sip:jennifer.rossi@contoso.com'; Upn = 'jennifer.rossi@corp.contoso.local'; Dn = 'CN=Jennifer Rossi,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:jerome.schroder@contoso.com'; Sip = 'sip:jerome.schroder@contoso.com'; Upn = 'jerome.schroder@corp.contoso.local'; Dn = 'CN=Jérôme Schröder,OU=Finance,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:joel.tran@fabrikam.com'; Sip = 'sip:joel.tran@fabrikam.com'; Upn = 'joel.tran@fabrikam.com'; Dn = 'CN=Joël Tran,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:john.moore@contoso.com'; Sip = 'sip:john.moore@contoso.com'; Upn = 'john.moore@contoso.com'; Dn = 'CN=John Moore,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jonathan.gagne@contoso.com'; Sip = 'sip:jonathan.gagne@contoso.com'; Upn = 'jonathan.gagne@contoso.com'; Dn = 'CN=Jonathan Gagné,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:jorg.lindstrom@fabrikam.com'; Sip = 'sip:jorg.lindstrom@fabrikam.com'; Upn = 'jorg.lindstrom@fabrikam.com'; Dn = 'CN=Jörg Lindström,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:jurgen.peterson@contoso.com'; Sip = 'sip:jurgen.peterson@contoso.com'; Upn = 'jurgen.peterson@corp.contoso.local'; Dn = 'CN=Jürgen Peterson,OU=Finance,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:kimberly.foster@contoso.com'; Sip = 'sip:kimberly.foster@contoso.com'; Upn = 'kimberly.foster@corp.contoso.local'; Dn = 'CN=Kimberly Foster,OU=Contractors,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:linda.watson@contoso.com'; Sip = 'sip:linda.watson@contoso.com'; Upn = 'linda.watson@corp.contoso.local'; Dn = 'CN=Linda Watson,OU=Sales,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:lisa.hoffmann@contoso.com'; Sip = 'sip:lisa.hoffmann@contoso.com'; Upn = 'lisa.hoffmann@corp.contoso.local'; Dn = 'CN=Lisa Hoffmann,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:loic.stewart@contoso.com'; Sip = 'sip:loic.stewart@contoso.com'; Upn = 'loic.stewart@contoso.com'; Dn = 'CN=Loïc Stewart,OU=Finance,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:margaret.morris@contoso.com'; Sip = 'sip:margaret.morris@contoso.com'; Upn = 'margaret.morris@corp.contoso.local'; Dn = 'CN=Margaret Morris,OU=Contractors,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:margaret.price@contoso.com'; Sip = 'sip:margaret.price@contoso.com'; Upn = 'margaret.price@corp.contoso.local'; Dn = 'CN=Margaret Price,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:martin.brandao@contoso.com'; Sip = 'sip:martin.brandao@contoso.com'; Upn = 'martin.brandao@corp.contoso.local'; Dn = 'CN=Martín Brandão,OU=Contractors,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:martin.brown@contoso.com'; Sip = 'sip:martin.brown@contoso.com'; Upn = 'martin.brown@corp.contoso.local'; Dn = 'CN=Martín Brown,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:mei.clark@contoso.com'; Sip = 'sip:mei.clark@contoso.com'; Upn = 'mei.clark@contoso.com'; Dn = 'CN=Mei Clark,OU=Disabled Users,DC=contoso,DC=com' }
    @{ Id = 'sip:mei.murphy@contoso.com'; Sip = 'sip:mei.murphy@contoso.com'; Upn = 'mei.murphy@contoso.com'; Dn = 'CN=Mei Murphy,OU=Sales,OU=Staff,DC=contoso,DC=com' }
    @{ Id = 'sip:mei.sanchez@fabrikam.com'; Sip = 'sip:mei.sanchez@fabrikam.com'; Upn = 'mei.sanchez@fabrikam.com'; Dn = 'CN=Mei Sánchez,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:melissa.evans@contoso.com'; Sip = 'sip:melissa.evans@contoso.com'; Upn = 'melissa.evans@corp.contoso.local'; Dn = 'CN=Melissa Evans,OU=Finance,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:michael.evans@contoso.com'; Sip = 'sip:michael.evans@contoso.com'; Upn = 'michael.evans@corp.contoso.local'; Dn = 'CN=Michael Evans,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:nicole.lovland@contoso.com'; Sip = 'sip:nicole.lovland@contoso.com'; Upn = 'nicole.lovland@corp.contoso.local'; Dn = 'CN=Nicole Løvland,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:nicole.walker@fabrikam.com'; Sip = 'sip:nicole.walker@fabrikam.com'; Upn = 'nicole.walker@fabrikam.com'; Dn = 'CN=Nicole Walker,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'CN=Sören González,OU=Sales,OU=Staff,DC=fabrikam,DC=com'; Sip = 'sip:noel.lee@contoso.com'; Upn = 'soren.gonzalez@fabrikam.com'; Dn = 'CN=Sören González,OU=Sales,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:noel.richardson@contoso.com'; Sip = 'sip:noel.richardson@contoso.com'; Upn = 'noel.richardson@corp.contoso.local'; Dn = 'CN=Noël Richardson,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:olga.mercier@fabrikam.com'; Sip = 'sip:olga.mercier@fabrikam.com'; Upn = 'olga.mercier@fabrikam.com'; Dn = 'CN=Olga Mercier,OU=Staff,DC=fabrikam,DC=com' }
    @{ Id = 'sip:omar.sorensen@contoso.com'; Sip = 'sip:omar.sorensen@contoso.com'; Upn = 'omar.sorensen@corp.contoso.local'; Dn = 'CN=Omar Sørensen,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:oyvind.adams@contoso.com'; Sip = 'sip:oyvind.adams@contoso.com'; Upn = 'oyvind.adams@corp.contoso.local'; Dn = 'CN=Øyvind Adams,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:robert.clark@contoso.com'; Sip = 'sip:robert.clark@contoso.com'; Upn = 'robert.clark@corp.contoso.local'; Dn = 'CN=Robert Clark,OU=Support,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:susan.muller@contoso.com'; Sip = 'sip:susan.muller@contoso.com'; Upn = 'susan.muller@corp.contoso.local'; Dn = 'CN=Susan Müller,OU=Engineering,OU=Staff,DC=corp,DC=contoso,DC=local' }
    @{ Id = 'sip:thora.ward@fabrikam.com'; Sip = 'sip:thora.ward@fabrikam.com'; Upn = 'thora.ward@fabrikam.com'; Dn = 'CN=Þóra Ward,OU=Contractors,OU=Staff,DC=fabrikam,DC=com' }
)

# Skip a user not homed online: a rerun resumes.
$SkipStatus = 'not-online'
function Test-Done([string] $Id) {
    (Get-CsUser -Identity $Id).HostingProvider -ne $OnlineTarget
}

# Moves one user; run in this session or as a background job.
$MoveOne = {
    param([string] $Id, [hashtable] $Options, [string] $Report, $Credential, [bool] $DryRun)
    $ErrorActionPreference = 'Stop'
    if (-not (Get-Command Move-CsUser -ErrorAction SilentlyContinue)) {
        Import-Module SkypeForBusiness
    }
    if ($Credential) { $Options['Credential'] = $Credential }
    Move-CsUser -Identity $Id -Report $Report -WhatIf:$DryRun @Options
}

Import-Module SkypeForBusiness
New-Item -ItemType Directory -Force -Path $ReportFolder | Out-Null
$DryRun = -not $Apply
$Started = Get-Date -Format 'yyyyMMdd-HHmmss'
$Results = [ordered]@{}
foreach ($u in $Users) {
    $Results[$u.Id] = [pscustomobject]@{
        Sip = $u.Sip; Upn = $u.Upn; Dn = $u.Dn; Status = 'pending'; Attempts = 0; Error = ''
    }
}
function Get-ReportPath([string] $Id) {
    Join-Path $ReportFolder (($Id -replace '[^A-Za-z0-9@._-]', '_') + '.csv')
}

$Pending = @($Users)
for ($attempt = 1; $attempt -le 1 + $Retries -and $Pending.Count -gt 0; $attempt++) {
    $ToMove = @()
    $Failed = @()
    foreach ($u in $Pending) {
        $r = $Results[$u.Id]
        try {
            if (Test-Done $u.Id) { $r.Status = $SkipStatus; $r.Error = ''; continue }
            $ToMove += $u
        } catch {
            $r.Status = 'failed'; $r.Error = "Get-CsUser: $($_.Exception.Message)"; $Failed += $u
        }
    }
    Write-Host ("Wave {0}, attempt {1}: {2} user(s) to move{3}" -f $Wave, $attempt, $ToMove.Count,
        $(if ($DryRun) { ' (dry run: -Apply moves them)' } else { '' }))
    if ($Credential -and -not $DryRun -and $Parallel -gt 1) {
        $Jobs = @{}
        foreach ($u in $ToMove) {
            while (@($Jobs.Keys | Where-Object { $_.State -eq 'Running' }).Count -ge $Parallel) {
                Start-Sleep -Seconds 2
            }
            $job = Start-Job -ScriptBlock $MoveOne -ArgumentList $u.Id, $MoveOptions,
                (Get-ReportPath $u.Id), $Credential, $false
            $Jobs[$job] = $u
        }
        foreach ($job in @($Jobs.Keys)) {
            $u = $Jobs[$job]
            $r = $Results[$u.Id]
            $r.Attempts++
            try {
                Wait-Job $job | Receive-Job -ErrorAction Stop | Out-Null
                $r.Status = 'moved'; $r.Error = ''
            } catch {
                $r.Status = 'failed'; $r.Error = $_.Exception.Message; $Failed += $u
            } finally {
                Remove-Job $job -Force
            }
        }
    } else {
        foreach ($u in $ToMove) {
            $r = $Results[$u.Id]
            $r.Attempts++
            try {
                & $MoveOne $u.Id $MoveOptions.Clone() (Get-ReportPath $u.Id) $Credential $DryRun
                $r.Status = $(if ($DryRun) { 'dry-run' } else { 'moved' }); $r.Error = ''
            } catch {
                $r.Status = 'failed'; $r.Error = $_.Exception.Message; $Failed += $u
            }
        }
    }
    if ($DryRun) { break }
    $Pending = $Failed
}

$ResultsFile = Join-Path $ReportFolder "results-$Started.csv"
$Results.Values | Export-Csv -Path $ResultsFile -NoTypeInformation -Encoding UTF8
$Counts = $Results.Values | Group-Object Status | ForEach-Object { "$($_.Count) $($_.Name)" }
Write-Host ("Wave {0}: {1}. Results: {2}" -f $Wave, ($Counts -join ', '), $ResultsFile)
if (@($Results.Values | Where-Object { $_.Status -eq 'failed' }).Count -gt 0) { exit 1 }
