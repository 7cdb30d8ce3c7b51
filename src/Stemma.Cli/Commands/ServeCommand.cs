using System.CommandLine;
using Stemma.Web;

namespace Stemma.Cli.Commands;

/// <summary>`stemma serve`: the HTTP API and web pages over the database, on loopback unless told otherwise.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var database = CommonOptions.Database();
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (loopback by default)",
            DefaultValueFactory = _ => new ServeOptions().Urls,
        };
        var token = new Option<string?>("--token") { Description = "Require 'Authorization: Bearer TOKEN' for API writes and /api/check" };
        var noWarmUp = new Option<bool>("--no-warm-up") { Description = "Do not request the first pages in the background at start (the first visitor then waits for compilation)" };
        var command = new Command("serve", "Serve the JSON API and the web pages (stories, copy trees, side-by-side compare)") { database, urls, token, noWarmUp };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServeOptions
            {
                DbPath = parse.GetValue(database)!,
                Urls = parse.GetValue(urls)!,
                Token = parse.GetValue(token),
                Limits = context.ReaderOptions.Limits,
                WarmUp = !parse.GetValue(noWarmUp),
            };
            if (ServeOptions.ValidateUrls(options.Urls) is { } badUrls)
            {
                throw new UsageException($"--urls: {badUrls}");
            }

            context.Out.WriteLine($"serving {options.DbPath} on {options.Urls}{(options.Token is null ? string.Empty : " (writes need the token)")}; Ctrl+C stops");
            await StemmaServer.RunAsync(options, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
