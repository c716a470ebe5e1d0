using System.Diagnostics;

namespace Vaultik.Age.Tests;

/// <summary>
/// typage, the age project's TypeScript implementation (npm age-encryption 0.3.1), driven through
/// tests/interop/age-node.mjs. tests/run-all.sh installs it and sets VAULTIK_TEST_NODE_AGE; a developer who ran
/// `npm ci --prefix tests/interop` gets it found from the checkout. Without it the tests skip, except under
/// CI=true, where they fail.
/// </summary>
public static class TypageCli
{
    private static readonly Lazy<string?> ScriptPath = new(FindScript);

    /// <summary>Skips the calling test when typage is not installed (fails instead under CI=true); returns the script path.</summary>
    public static string Require()
    {
        var script = ScriptPath.Value;
        if (script is not null)
        {
            return script;
        }

        const string reason = "typage is not installed: run `npm ci --prefix tests/interop` (needs Node.js >= 20.19) or set VAULTIK_TEST_NODE_AGE";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail($"cannot run the typage interop tests under CI: {reason}");
        }

        Skip.If(true, reason);
        return string.Empty;
    }

    /// <summary>A new identity from typage: its text (AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…) and recipient.</summary>
    public static async Task<(string Identity, string Recipient)> KeygenAsync(bool pq = false)
    {
        var result = await RunAsync([], pq ? ["keygen", "--pq"] : ["keygen"]);
        Assert.True(result.Code == 0, result.Stderr);
        var lines = System.Text.Encoding.UTF8.GetString(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        return (lines[0], lines[1]);
    }

    /// <summary>Encrypts <paramref name="plain"/> to the recipients with typage.</summary>
    public static async Task<byte[]> EncryptAsync(byte[] plain, bool armor, params string[] recipients)
    {
        string[] args = armor ? ["encrypt", "--armor", .. recipients] : ["encrypt", .. recipients];
        var result = await RunAsync(plain, args);
        Assert.True(result.Code == 0, result.Stderr);
        return result.Stdout;
    }

    /// <summary>Decrypts with typage using the identities in <paramref name="identityFile"/>; the exit code and stderr tell a failure.</summary>
    public static Task<(int Code, byte[] Stdout, string Stderr)> DecryptAsync(byte[] file, string identityFile) =>
        RunAsync(file, ["decrypt", identityFile]);

    private static async Task<(int Code, byte[] Stdout, string Stderr)> RunAsync(byte[] stdin, string[] args)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Require());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start node: Process.Start returned null");
        using var stdout = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        await output;
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }

    private static string? FindScript()
    {
        if (Environment.GetEnvironmentVariable("VAULTIK_TEST_NODE_AGE") is { Length: > 0 } set)
        {
            return File.Exists(set) ? set : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var interop = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(interop, "age-node.mjs")))
            {
                return Directory.Exists(Path.Combine(interop, "node_modules", "age-encryption")) ? Path.Combine(interop, "age-node.mjs") : null;
            }
        }

        return null;
    }
}
