# A canned CSOM server on 127.0.0.1, for answers the emulator never gives (a service that refuses
# a row of a map its checks let through, then fails the read-back). Like the Rust suites' canned
# server (tests/support/mod.rs): each connection gets the next response, in order, and then the
# listener stops; it runs on a thread job, so the test's own thread drives the module meanwhile.

function Start-TestCannedServer {
    # $Response: HTTP responses (New-TestCsomAnswer, New-TestCsomListAnswer, New-TestCsomServerError).
    # Returns @{ BaseUrl; AdminUrl (a tenant admin URL on it); Received (each request's body, in order) }.
    param([string[]]$Response)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $received = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
    $job = Start-ThreadJob -ArgumentList $listener, $Response, $received -ScriptBlock {
        param($Listener, $Responses, $Received)
        try {
            foreach ($response in $Responses) {
                $client = $Listener.AcceptTcpClient()
                try {
                    $stream = $client.GetStream()
                    $stream.ReadTimeout = 10000
                    $data = [System.IO.MemoryStream]::new()
                    $buffer = [byte[]]::new(65536)
                    while ($true) {
                        # The head ends at the first empty line; the body is Content-Length bytes.
                        $text = [System.Text.Encoding]::UTF8.GetString($data.ToArray())
                        $end = $text.IndexOf("`r`n`r`n")
                        if ($end -ge 0) {
                            $length = if ($text.Substring(0, $end) -match '(?im)^content-length:\s*(\d+)') { [int]$Matches[1] } else { 0 }
                            if ($data.Length -ge [System.Text.Encoding]::UTF8.GetByteCount($text.Substring(0, $end + 4)) + $length) {
                                $Received.Enqueue($text.Substring($end + 4))
                                break
                            }
                        }
                        $read = $stream.Read($buffer, 0, $buffer.Length)
                        if ($read -le 0) { break }
                        $data.Write($buffer, 0, $read)
                    }
                    $bytes = [System.Text.Encoding]::UTF8.GetBytes($response)
                    $stream.Write($bytes, 0, $bytes.Length)
                    $stream.Flush()
                } finally { $client.Dispose() }
            }
        } finally { $Listener.Stop() }
    }
    $base = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"
    @{ BaseUrl = $base; AdminUrl = "$base/contoso-admin"; Received = $received; Job = $job; Listener = $listener }
}

function Stop-TestCannedServer {
    param([hashtable]$Server)
    $Server.Listener.Stop()
    $Server.Job | Stop-Job -PassThru | Remove-Job -Force
}

function New-TestHttpResponse {
    param([string]$Body)
    $length = [System.Text.Encoding]::UTF8.GetByteCount($Body)
    "HTTP/1.1 200 OK`r`nContent-Type: application/json`r`nContent-Length: $length`r`nConnection: close`r`n`r`n$Body"
}

function New-TestCsomAnswer {
    # The CSOM answer whose method value (action 3) is $Value (JSON text).
    param([string]$CorrelationId, [string]$Value)
    New-TestHttpResponse "[{`"SchemaVersion`":`"15.0.0.0`",`"LibraryVersion`":`"16.0.1.0`",`"ErrorInfo`":null,`"TraceCorrelationId`":`"$CorrelationId`"},2,{`"IsNull`":false},3,$Value]"
}

function New-TestCsomListAnswer {
    # A client object list answer holding user entries, each @{ Source; Target } (none: an empty list).
    param([string]$CorrelationId, [string]$CompanyId, [hashtable[]]$User = @())
    $items = @(foreach ($entry in $User) {
            [ordered]@{ _ObjectType_ = 'Microsoft.Online.SharePoint.TenantAdministration.SPOTenantUserIdentityMapping'
                SourceTenantCompanyId = "/Guid($CompanyId)/"; SourceUserKey = $entry.Source; TargetUserPuid = ''
                TargetUserUpn = $entry.Target; TargetUserEmail = $entry.Target; UserType = 1 }
        })
    New-TestCsomAnswer $CorrelationId (ConvertTo-Json -Compress -Depth 4 -InputObject ([ordered]@{ _ObjectType_ = 'SP.ClientObjectList'; _Child_Items_ = $items }))
}

function New-TestCsomServerError {
    # A CSOM answer carrying a ServerException.
    param([string]$CorrelationId, [string]$Message)
    New-TestHttpResponse (ConvertTo-Json -Compress -Depth 4 -InputObject @([ordered]@{ SchemaVersion = '15.0.0.0'
                ErrorInfo = [ordered]@{ ErrorMessage = $Message; ErrorValue = $null; TraceCorrelationId = $CorrelationId; ErrorCode = -2146232832
                    ErrorTypeName = 'Microsoft.SharePoint.Client.ServerException' }; TraceCorrelationId = $CorrelationId }))
}
