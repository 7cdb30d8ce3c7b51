using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Stemma.Web.Tests.Api;

/// <summary>Body size limits, bearer-token writes and antiforgery on the check form, each on its own server.</summary>
public sealed partial class LimitsAndAuthTests
{
    private const string Article = "Ferry timetable\n\nThe island ferry will run four crossings a day from Monday, the operator said, with a fifth on Saturdays in summer.";

    [Fact]
    public void Serve_defaults_bind_loopback_with_no_token_and_a_twenty_megabyte_limit()
    {
        var options = new ServeOptions();
        Assert.Equal("stemma.db", options.DbPath);
        Assert.Equal("http://127.0.0.1:5080", options.Urls);
        Assert.Null(options.Token);
        Assert.Equal(20L * 1024 * 1024, options.MaxBodyBytes);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_with_or_without_a_content_length()
    {
        await using var server = await RunningServer.StartAsync(maxBodyBytes: 64 * 1024);
        var big = Encoding.UTF8.GetBytes(new string('a', 100 * 1024));
        // Declared: refused on its Content-Length. Expect: 100-continue keeps the client from sending a body the server
        // will not read; without it the server may close on unread bytes, and the reset can reach the client before the 413.
        using var declaredContent = new ByteArrayContent(big);
        declaredContent.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var declaredRequest = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = declaredContent };
        declaredRequest.Headers.ExpectContinue = true;
        using var declared = await server.Client.SendAsync(declaredRequest);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal("application/problem+json", declared.Content.Headers.ContentType?.MediaType);

        // Chunked: the size is only known while reading, so the server stops reading part-way and closes. The client may
        // still be writing then and see the connection reset instead of the answer (a race of the transport, not of
        // the server): such a send is tried again, up to three times; any answer other than a 413 problem fails.
        using var response = await SendChunkedAsync(server.Client, "/api/check", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var small = await Samples.PostTextAsync(server.Client, "/api/documents", Article);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendChunkedAsync(HttpClient client, string path, byte[] body)
    {
        for (var attempt = 1; ; attempt++)
        {
            var content = new StreamContent(new MemoryStream(body));
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            request.Headers.TransferEncodingChunked = true;
            try
            {
                return await client.SendAsync(request);
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                // The connection was reset while the body was still being sent; try again on a new connection.
            }
        }
    }

    [Fact]
    public async Task The_default_limit_is_twenty_megabytes()
    {
        await using var server = await RunningServer.StartAsync();
        using var content = new ByteArrayContent(new byte[(20 * 1024 * 1024) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        // Expect: 100-continue lets the server refuse before the client sends 20 MB it would then cut off.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/check") { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await server.Client.SendAsync(request);
        await ApiTests.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "20 MB");
    }

    [Fact]
    public async Task With_a_token_writes_and_checks_need_the_bearer_token_and_reads_do_not()
    {
        await using var server = await RunningServer.StartAsync(token: "s3cret-token");
        using var anonymous = await Samples.PostTextAsync(server.Client, "/api/documents", Article, "ferry.txt");
        await ApiTests.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "Bearer");
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        using var wrongClient = server.NewClient("not-the-token");
        using var wrong = await Samples.PostTextAsync(wrongClient, "/api/documents", Article, "ferry.txt");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var missing = await server.Client.GetAsync("/api/documents/ferry.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var authorized = server.NewClient("s3cret-token");
        using var stored = await Samples.PostTextAsync(authorized, "/api/documents", Article, "ferry.txt");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);

        using var read = await server.Client.GetAsync("/api/documents/ferry.txt");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        // Check reads and analyses what it is sent, so it is bounded like a write and needs the token too.
        using var anonymousCheck = await Samples.PostTextAsync(server.Client, "/api/check", Article);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousCheck.StatusCode);
        using var check = await Samples.PostTextAsync(authorized, "/api/check", Article);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_writes_are_open()
    {
        await using var server = await RunningServer.StartAsync();
        using var stored = await Samples.PostTextAsync(server.Client, "/api/documents", Article, "ferry.txt");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
    }

    [Fact]
    public async Task The_check_form_needs_its_antiforgery_token()
    {
        await using var server = await RunningServer.StartAsync();
        await Samples.IngestAllAsync(server.Client);
        var original = await File.ReadAllTextAsync(Path.Combine(Samples.Folder, "seawall", "original.txt"));

        using var forged = new MultipartFormDataContent { { new StringContent(original), "text" } };
        using var refused = await server.Client.PostAsync("/check", forged);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // A browser-like client: the page sets the cookie and embeds the request token.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { BaseAddress = server.Address };
        var page = await browser.GetStringAsync("/check");
        var field = TokenField().Match(page);
        Assert.True(field.Success, "the form carries a hidden antiforgery field");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(System.Net.WebUtility.HtmlDecode(field.Groups["value"].Value)), field.Groups["name"].Value },
            { new StringContent(original), "text" },
        };
        using var accepted = await browser.PostAsync("/check", form);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var html = await accepted.Content.ReadAsStringAsync();
        Assert.Contains("seawall%2Foriginal.txt", html);
        Assert.Contains("identical", html);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
