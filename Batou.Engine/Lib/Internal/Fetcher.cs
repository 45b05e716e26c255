using System.Net.Http.Headers;
using System.Text;

namespace Batou.Lib.Internal;

/// <summary>Copies an http(s) or file:// URL into a local file, streaming.</summary>
internal static class Fetcher
{
    private static readonly HttpClient s_client = new(new SocketsHttpHandler { AllowAutoRedirect = true, PreAuthenticate = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static void Fetch(Uri uri, string destination, TimeSpan timeout, CancellationToken token)
    {
        if (uri.IsFile)
        {
            using var input = System.IO.File.OpenRead(uri.LocalPath);
            using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
            input.CopyTo(output);
            return;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
        cts.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, WithoutUserInfo(uri));
        if (uri.UserInfo.Length > 0)
        {
            var credentials = Uri.UnescapeDataString(uri.UserInfo);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        try
        {
            using var response = s_client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"HTTP {(int)response.StatusCode} ({response.ReasonPhrase})", null, response.StatusCode);
            using var input = response.Content.ReadAsStream(cts.Token);
            using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
            input.CopyToAsync(output, cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s (environment setting `timeout`)");
        }
    }

    private static Uri WithoutUserInfo(Uri uri) =>
        uri.UserInfo.Length == 0 ? uri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
}
