namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "vaultik-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or NullReferenceException)
        {
            // .NET's recursive delete cannot go past PATH_MAX (a restore by directory handles can): rm -rf can.
            using var rm = System.Diagnostics.Process.Start("rm", ["-rf", "--", Path]);
            rm.WaitForExit();
        }
    }
}
