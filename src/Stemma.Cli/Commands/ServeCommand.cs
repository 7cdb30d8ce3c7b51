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
        var cluster = ClusterCommands.ClusterOption("Serve a Stemma cluster's store instead of --db (pages, API and uploads go through the silos)");
        var command = new Command("serve", "Serve the JSON API and the web pages (stories, copy trees, side-by-side compare)") { database, urls, token, noWarmUp, cluster };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServeOptions
            {
                DbPath = parse.GetValue(database)!,
                Stores = context.Stores,
                Urls = parse.GetValue(urls)!,
                Token = parse.GetValue(token),
                Limits = context.ReaderOptions.Limits,
                WarmUp = !parse.GetValue(noWarmUp),
            };
            if (ServeOptions.ValidateUrls(options.Urls) is { } badUrls)
            {
                throw new UsageException($"--urls: {badUrls}");
            }

            if (parse.GetValue(cluster) is { Length: > 0 } gateways)
            {
                // Connected before the server starts, so a cluster no silo answers for is one line, as for ingest --cluster.
                var connected = await ClusterCommands.ConnectAsync(gateways, cancellationToken);
                context.Out.WriteLine($"serving cluster {ClusterCommands.Describe(gateways)} on {options.Urls}{(options.Token is null ? string.Empty : " (writes need the token)")}; Ctrl+C stops");
                await StemmaServer.RunAsync(options with { Store = () => connected }, cancellationToken);
                return ExitCodes.Ok;
            }

            try
            {
                // An unknown scheme or a malformed value is refused before anything starts; an unreachable server or a file that is not a
                // database fails the start. Either is one line and exit code 2, as for the other commands' --db.
                await context.Stores.Create(options.DbPath).DisposeAsync();
                context.Out.WriteLine($"serving {context.Stores.Describe(options.DbPath)} on {options.Urls}{(options.Token is null ? string.Empty : " (writes need the token)")}; Ctrl+C stops");
                await StemmaServer.RunAsync(options, cancellationToken);
            }
            catch (Stemma.Storage.StoreException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UsageException(ex.Message);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
