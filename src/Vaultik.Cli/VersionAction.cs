using System.CommandLine;
using System.CommandLine.Invocation;

namespace Vaultik.Cli;

/// <summary>The action of the built-in --version option: one line, <see cref="VersionInfo.Line"/>, exit 0.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    private readonly TextWriter _stdout;

    public VersionAction(TextWriter stdout) => _stdout = stdout;

    public override int Invoke(ParseResult parseResult)
    {
        _stdout.WriteLine(VersionInfo.Line);
        return ExitCodes.Success;
    }
}
