using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Age;
using Vaultik.Core;

namespace Vaultik.Cli;

/// <summary>
/// Wraps each verb's body with the shared behaviour: a <see cref="CliContext"/>, error-to-exit-code mapping,
/// cancellation to exit 130, and the cron summary.
/// </summary>
internal sealed class VerbFactory
{
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public VerbFactory(TextWriter stdout, TextWriter stderr)
    {
        _stdout = stdout;
        _stderr = stderr;
    }

    public static readonly Option<bool> JsonOption = new("--json") { Description = "Print one JSON document on stdout" };

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="body"/>, wrapped.</summary>
    public void Bind(Command command, Func<CliContext, CancellationToken, Task<int>> body, bool hasJson = false)
    {
        if (hasJson)
        {
            command.Options.Add(JsonOption);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = hasJson && parse.GetValue(JsonOption);
            var context = new CliContext(parse, _stdout, _stderr, json);
            var code = await RunAsync(context, body, cancellationToken).ConfigureAwait(false);
            context.Err.FlushCronSummary(code);
            return code;
        });
    }

    private static async Task<int> RunAsync(CliContext context, Func<CliContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Report(context, "interrupted; the store is consistent (no incomplete snapshot is listed)", ExitCodes.Interrupted, null);
        }
        catch (Exception ex) when (ex is VaultikException or AgeException or IOException or UnauthorizedAccessException)
        {
            return Report(context, ex.Message, ExitCodeMap.For(ex), ex);
        }
        catch (Exception ex)
        {
            return Report(context, $"internal error: {ex.GetType().Name}: {ex.Message}", ExitCodes.Error, ex);
        }
    }

    private static int Report(CliContext context, string message, int code, Exception? ex)
    {
        var oneLine = message.ReplaceLineEndings(" ");
        if (context.Json)
        {
            var error = new JsonError(oneLine, code);
            context.Err.Raw.WriteLine(JsonSerializer.Serialize(error, CliJsonContext.Default.JsonError));
        }
        else
        {
            context.Err.Error(oneLine);
        }

        if (context.Verbose && ex is not null)
        {
            context.Err.Raw.WriteLine(ex.ToString());
        }

        return code;
    }
}
