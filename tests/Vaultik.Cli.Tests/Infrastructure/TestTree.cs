using System.Text;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>Builds source trees for end-to-end tests: every kind of entry a backup must carry.</summary>
public static class TestTree
{
    /// <summary>
    /// A tree with nested and empty directories, symlinks (relative, absolute, dangling, to a directory),
    /// unicode and space-containing names, modes 0600/0755/0644, a 0-byte file, many small files and one large
    /// file of <paramref name="largeFileBytes"/> pseudo-random but partly repetitive bytes.
    /// </summary>
    public static void Build(string root, long largeFileBytes = 50L << 20, int smallFiles = 300, int seed = 42)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        Directory.CreateDirectory(Path.Combine(root, "nested", "deeper", "deepest", "empty too"));
        File.WriteAllText(Path.Combine(root, "nested", "deeper", "deepest", "leaf.txt"), "leaf\n");
        File.WriteAllBytes(Path.Combine(root, "zero-bytes"), []);
        File.WriteAllText(Path.Combine(root, "Ünïcödé — файл 文件.txt"), "unicode name\n", Encoding.UTF8);
        File.WriteAllText(Path.Combine(root, "name with spaces.txt"), "spaces\n");
        var secret = Path.Combine(root, "secret.txt");
        File.WriteAllText(secret, "private 0600\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var script = Path.Combine(root, "run.sh");
        File.WriteAllText(script, "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(Path.Combine(root, "link-relative"), "nested/deeper/deepest/leaf.txt");
        File.CreateSymbolicLink(Path.Combine(root, "link-absolute"), "/etc/hostname");
        File.CreateSymbolicLink(Path.Combine(root, "link-dangling"), "does/not/exist");
        Directory.CreateSymbolicLink(Path.Combine(root, "link-to-dir"), "nested");

        var many = Path.Combine(root, "many");
        Directory.CreateDirectory(many);
        for (var i = 0; i < smallFiles; i++)
        {
            var size = random.Next(0, 6000);
            var bytes = new byte[size];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(many, $"small-{i:D4}.bin"), bytes);
        }

        WriteLargeFile(Path.Combine(root, "large.bin"), largeFileBytes, seed);
        var old = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(1234567);
        File.SetLastWriteTimeUtc(Path.Combine(root, "name with spaces.txt"), old);
    }

    /// <summary>Writes <paramref name="bytes"/> of data that compresses somewhat (random blocks, some repeated).</summary>
    public static void WriteLargeFile(string path, long bytes, int seed)
    {
        var random = new Random(seed);
        var block = new byte[64 << 10];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        long written = 0;
        while (written < bytes)
        {
            if (random.Next(4) != 0)
            {
                random.NextBytes(block);
            }

            var n = (int)Math.Min(block.Length, bytes - written);
            stream.Write(block, 0, n);
            written += n;
        }
    }
}
