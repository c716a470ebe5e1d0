using System.CommandLine;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Config;
using Vaultik.Age;
using Vaultik.Core.Index;
using Vaultik.Core.Platform;
using Vaultik.Core.Integrity;
using Vaultik.Core.Storage;

namespace Vaultik.Cli;

/// <summary>
/// What one invocation shares between the CLI layer and a verb: its writers, the global flags, and lazy
/// access to the config, the store, the index and the identities. Verbs stay thin: parse, call the core,
/// report, return an exit code.
/// </summary>
internal sealed class CliContext
{
    private VaultikConfig? _config;
    private Stream? _binaryOut;
    private BandwidthLimits? _limits;

    public CliContext(ParseResult parse, TextWriter stdout, TextWriter stderr, bool json, Stream? binaryStdout = null)
    {
        _binaryOut = binaryStdout;
        Parse = parse;
        Json = json;
        Cron = parse.GetValue(GlobalOptions.Cron);
        Quiet = parse.GetValue(GlobalOptions.Quiet) || Cron;
        Verbose = parse.GetValue(GlobalOptions.Verbose) && !Cron;
        ConfigOption = parse.GetValue(GlobalOptions.Config);
        Out = Cron ? TextWriter.Null : stdout;
        var terminal = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
        Color = terminal && !Json && !parse.GetValue(GlobalOptions.NoColor) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        Err = new ErrorWriter(stderr, Cron, Color);
        Progress = !Json && !Cron && !Quiet && terminal;
    }

    /// <summary>True when stderr may be coloured: a terminal, not --json, no --no-color, NO_COLOR unset or empty.</summary>
    public bool Color { get; }

    public ParseResult Parse { get; }

    public bool Json { get; }

    public bool Cron { get; }

    public bool Quiet { get; }

    public bool Verbose { get; }

    /// <summary>True when a live progress line may be drawn on stderr (a TTY, not --json/--cron/--quiet).</summary>
    public bool Progress { get; }

    public string? ConfigOption { get; }

    public TextWriter Out { get; }

    public ErrorWriter Err { get; }

    /// <summary>Stdout for raw bytes (fetch): the stream given to the constructor, else the process's standard output. Not closed by verbs.</summary>
    public Stream BinaryOut => _binaryOut ??= Console.OpenStandardOutput();

    /// <summary>The config file this invocation uses: --config, else $VAULTIK_CONFIG, else the default path.</summary>
    public string ConfigPath => ConfigOption ?? ConfigPaths.ConfigFile();

    /// <summary>Prints an informational line on stderr unless quiet.</summary>
    public void Info(string line)
    {
        if (!Quiet && !Json)
        {
            Err.Info(line);
        }
    }

    public VaultikConfig Config
    {
        get
        {
            if (_config is null)
            {
                if (!File.Exists(ConfigPath))
                {
                    throw new ConfigurationException($"cannot read config {ConfigPath}: no such file (run 'vaultik init' first)");
                }

                _config = ConfigLoader.Load(ConfigPath);
            }

            return _config;
        }
    }

    public void UseConfig(VaultikConfig config) => _config = config;

    public IObjectStore OpenStore() => StoreChain.Open(Config, Limits);

    /// <summary>The bandwidth limits of this invocation, shared by every store it opens.</summary>
    public BandwidthLimits Limits => _limits ??= BandwidthLimits.From(Config, Parse.GetValue(GlobalOptions.LimitUpload), Parse.GetValue(GlobalOptions.LimitDownload));

    /// <summary>
    /// The store as Vaultik first wrote it under <paramref name="prefixes"/> (see <see cref="FirstWrittenView"/>):
    /// what read verbs use, so that objects rewritten with put-only credentials change nothing they return.
    /// Each rewritten key is reported once on stderr as a warning, unless <paramref name="warn"/> is false (verify,
    /// which reports each as a problem).
    /// </summary>
    public async Task<FirstWrittenView> OpenFirstWrittenAsync(IEnumerable<string> prefixes, CancellationToken cancellationToken, bool warn = true)
    {
        var view = await FirstWrittenView.OpenAsync(OpenStore(), prefixes, cancellationToken).ConfigureAwait(false);
        foreach (var history in warn ? view.Tampered : [])
        {
            Err.Warning(history.Describe());
        }

        return view;
    }

    public LocalIndex OpenIndex() => LocalIndex.Open(Config.IndexPath, message => Err.Warning(message));

    /// <summary>
    /// The private identities for verbs that decrypt: --identity FILE, else $VAULTIK_AGE_SECRET_KEY (the key
    /// text), else the identity file that first-run set-up created, if it is there.
    /// </summary>
    public IReadOnlyList<IIdentity> LoadIdentities(string? identityFile)
    {
        if (identityFile is not null)
        {
            return LoadIdentityFile(identityFile);
        }

        var fromEnv = Environment.GetEnvironmentVariable("VAULTIK_AGE_SECRET_KEY");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            try
            {
                return AgeKeyFile.Parse(new StringReader(fromEnv));
            }
            catch (AgeException ex)
            {
                throw new ConfigurationException($"cannot read VAULTIK_AGE_SECRET_KEY: {ex.Message}", ex);
            }
        }

        var fallback = ConfigPaths.DefaultIdentityFile();
        if (File.Exists(fallback))
        {
            Info($"using identity {fallback}");
            return LoadIdentityFile(fallback);
        }

        throw new ConfigurationException("cannot decrypt: no identity given (use --identity FILE or set VAULTIK_AGE_SECRET_KEY)");
    }

    private IReadOnlyList<IIdentity> LoadIdentityFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"cannot read identity {path}: no such file");
        }

        if ((File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead)) != 0)
        {
            Err.Warning($"identity file {path} is readable by other users; chmod 600 it");
        }

        try
        {
            return AgeKeyFile.Load(path);
        }
        catch (AgeException ex)
        {
            throw new ConfigurationException($"cannot read identity {path}: {ex.Message}", ex);
        }
    }

    public static string Hostname(VaultikConfig config) => config.Hostname ?? Posix.ShortHostName();
}
