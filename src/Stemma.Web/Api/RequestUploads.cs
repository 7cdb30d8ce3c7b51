using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Stemma.Web.Api;

/// <summary>A request the API refuses, with the status and a sentence that names the problem.</summary>
internal sealed class RequestRejectedException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    public IResult ToProblem() => TypedResults.Problem(detail: Message, statusCode: StatusCode, title: Title);
}

/// <summary>Reads uploaded articles from a request: a raw body (any format Stemma reads) or a multipart form of files.</summary>
internal static class RequestUploads
{
    public static async Task<List<(byte[] Content, string? Name, string? ContentType)>> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        try
        {
            // Only multipart forms carry files; a urlencoded body (curl's default) is taken as the article itself.
            if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
            {
                return await ReadFormAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var content = await ReadBoundedAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
            var name = request.Query["name"].FirstOrDefault() ?? FileNameFrom(request.Headers.ContentDisposition.ToString());
            return [(content, name, request.ContentType)];
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        catch (InvalidDataException ex)
        {
            // Form parsing failures (bad boundary, too many parts, oversized section) are the client's to fix.
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, "Unreadable form", ex.Message);
        }
    }

    public static RequestRejectedException TooLarge(long maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large",
        $"The body is larger than the {maxBytes / (1024 * 1024)} MB limit; split the batch into smaller uploads.");

    private static async Task<List<(byte[] Content, string? Name, string? ContentType)>> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var uploads = new List<(byte[] Content, string? Name, string? ContentType)>();
        foreach (var file in form.Files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            uploads.Add((buffer.ToArray(), string.IsNullOrEmpty(file.FileName) ? null : file.FileName, file.ContentType));
        }

        // A pasted article arrives as a text field rather than a file.
        foreach (var field in new[] { "text", "body" })
        {
            var text = form[field].ToString();
            if (!string.IsNullOrWhiteSpace(text))
            {
                uploads.Add((System.Text.Encoding.UTF8.GetBytes(text), form["name"].FirstOrDefault(), "text/plain"));
            }
        }

        if (uploads.Count == 0)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, "No article in the form", "The form has no file and no 'text' field.");
        }

        return uploads;
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string? FileNameFrom(string contentDisposition) =>
        ContentDispositionHeaderValue.TryParse(contentDisposition, out var parsed)
            ? HeaderUtilities.RemoveQuotes(parsed.FileNameStar.HasValue ? parsed.FileNameStar : parsed.FileName).Value
            : null;
}
