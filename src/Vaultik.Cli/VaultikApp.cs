using System.CommandLine;
using System.Runtime.InteropServices;
using Vaultik.Cli.Commands;
using Vaultik.Cli.Output;
using Vaultik.Core;

namespace Vaultik.Cli;

/// <summary>
/// Builds the command tree and runs one invocation: parse errors exit 2, errors a verb throws exit with the code
/// <see cref="ExitCodeMap"/> gives their kind and one line on stderr (a JSON object with --json), SIGINT/SIGTERM
/// cancel the work cleanly and exit 130.
/// </summary>
public static class VaultikApp
{
    public const string ExitCodeHelp = """
        Exit codes:
          0    success
          1    error (I/O, network, corrupt data)
          2    usage or configuration error
          3    snapshot made, but some source files could not be read
          4    another run holds the lock
          5    verification found missing or corrupt data
          6    store status: a snapshot group's latest is older than --max-age
          130  interrupted (SIGINT/SIGTERM); the store is left consistent
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // Not disposed: a signal handler may still run on another thread while this method returns.
        var cancel = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }

        var root = BuildRoot(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"vaultik: {Output.TerminalText.Escape(error.Message)}");
            }

            stderr.WriteLine("vaultik: see 'vaultik --help'");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancel.Token)
            .ConfigureAwait(false);
    }

    /// <summary>The whole command tree (the completion scripts and man pages are generated from it).</summary>
    internal static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Vaultik: encrypted, deduplicated backups to S3 or a directory; the backed-up host holds only a public key.\n\n" + ExitCodeHelp);
        foreach (var version in root.Options.OfType<System.CommandLine.VersionOption>())
        {
            version.Action = new VersionAction(stdout);
        }

        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }

        var verbs = new VerbFactory(stdout, stderr);
        root.Subcommands.Add(KeygenCommand.Create(verbs));
        root.Subcommands.Add(InitCommand.Create(verbs));
        var snapshot = new Command("snapshot", "Create, list, verify and purge snapshots");
        snapshot.Subcommands.Add(SnapshotCreateCommand.Create(verbs));
        snapshot.Subcommands.Add(SnapshotListCommand.Create(verbs));
        snapshot.Subcommands.Add(SnapshotPurgeCommand.Create(verbs));
        snapshot.Subcommands.Add(SnapshotForgetCommand.Create(verbs));
        snapshot.Subcommands.Add(VerifyCommand.CreateForSnapshot(verbs));
        root.Subcommands.Add(snapshot);
        root.Subcommands.Add(RestoreCommand.Create(verbs));
        root.Subcommands.Add(FetchCommand.Create(verbs));
        root.Subcommands.Add(LsCommand.Create(verbs));
        root.Subcommands.Add(DumpCommand.Create(verbs));
        root.Subcommands.Add(FindCommand.Create(verbs));
        root.Subcommands.Add(DiffCommand.Create(verbs));
        root.Subcommands.Add(MountCommand.Create(verbs));
        root.Subcommands.Add(PruneCommand.Create(verbs));
        root.Subcommands.Add(VerifyCommand.CreateStoreWide(verbs));
        root.Subcommands.Add(DaemonCommand.Create(verbs));
        var store = new Command("store", "Inspect the store, set up its bucket and keep its Object Lock retention");
        store.Subcommands.Add(StoreInfoCommand.Create(verbs));
        store.Subcommands.Add(StoreStatusCommand.Create(verbs));
        store.Subcommands.Add(StoreCreateBucketCommand.Create(verbs));
        store.Subcommands.Add(StoreCheckBucketCommand.Create(verbs));
        store.Subcommands.Add(StoreExtendRetentionCommand.Create(verbs));
        root.Subcommands.Add(store);
        root.Subcommands.Add(CompletionCommand.Create(verbs));
        root.Subcommands.Add(ManCommand.Create(verbs));
        return root;
    }
}
