using System.Diagnostics;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>Inputs for the stream-backup tests: a real SQLite database and its dump, and a seeded byte stream.</summary>
public static class StdinFixtures
{
    /// <summary>Creates <paramref name="path"/> with the sqlite3 CLI (a few thousand rows) and returns the bytes of its <c>.dump</c>.</summary>
    public static async Task<byte[]> MakeDatabaseAsync(string path)
    {
        const string Sql = """
            CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body BLOB);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
            INSERT INTO notes (title, body) SELECT 'note ' || i || ' — ünïcode', randomblob(64) FROM n;
            CREATE INDEX notes_title ON notes(title);
            """;
        await RunAsync("sqlite3", [path], Sql);
        return await RunAsync("sqlite3", [path, ".dump"], null);
    }

    /// <summary>A shell line printing <paramref name="bytes"/> pseudo-random bytes determined by <paramref name="seed"/> (AES-CTR of zeros).</summary>
    public static string SeededStream(long bytes, string seed) =>
        $"head -c {bytes} /dev/zero | openssl enc -aes-256-ctr -pass pass:{seed} -nosalt -pbkdf2 2>/dev/null";

    /// <summary>The SHA-256 (hex) of what a shell line prints.</summary>
    public static async Task<string> Sha256OfAsync(string shellLine)
    {
        var output = await RunAsync("/bin/sh", ["-c", shellLine + " | sha256sum"], null);
        return System.Text.Encoding.ASCII.GetString(output).Split(' ')[0];
    }

    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static async Task<byte[]> RunAsync(string program, string[] args, string? stdin)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return output.ToArray();
    }
}
