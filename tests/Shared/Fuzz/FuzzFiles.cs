using System.Reflection;

namespace Vaultik.Tests.Fuzz;

/// <summary>
/// Where fuzz inputs live: the fixed seed corpus (<c>TestData/fuzz-corpus/&lt;parser&gt;/&lt;name&gt;</c>) and the
/// saved failures (<c>TestData/fuzz-regressions/&lt;parser&gt;/&lt;name&gt;</c>), read from the test output and
/// written into the test project's source folder so that they can be committed.
/// </summary>
public static class FuzzFiles
{
    private const string Corpus = "fuzz-corpus";
    private const string Regressions = "fuzz-regressions";

    /// <summary>The corpus file <paramref name="name"/>; made by <paramref name="make"/> and saved the first time.</summary>
    public static byte[] CorpusFile(string parser, string name, Func<byte[]> make)
    {
        var built = Path.Combine(AppContext.BaseDirectory, "TestData", Corpus, parser, name);
        if (File.Exists(built))
        {
            return File.ReadAllBytes(built);
        }

        var data = make();
        Save(Corpus, parser, name, data);
        return data;
    }

    /// <summary>The names of the saved regression cases of <paramref name="parser"/>, for a theory's MemberData.</summary>
    public static IEnumerable<object[]> RegressionNames(string parser)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestData", Regressions, parser);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(n => new object[] { n! })
            : [];
    }

    public static byte[] RegressionCase(string parser, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", Regressions, parser, name));

    /// <summary>Saves a failing input; returns where it went.</summary>
    public static string SaveRegression(string parser, string name, byte[] input) => Save(Regressions, parser, name, input);

    private static string Save(string kind, string parser, string name, byte[] data)
    {
        var root = SourceProjectDirectory() is { } project ? Path.Combine(project, "TestData") : Path.Combine(Path.GetTempPath(), "vaultik-fuzz");
        var dir = Path.Combine(root, kind, parser);
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (UnauthorizedAccessException)
        {
            dir = Path.Combine(Path.GetTempPath(), "vaultik-fuzz", kind, parser);
            Directory.CreateDirectory(dir);
        }

        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    /// <summary>The folder holding this test project's .csproj, found above the test output; null when it is not there.</summary>
    private static string? SourceProjectDirectory()
    {
        var project = Assembly.GetExecutingAssembly().GetName().Name + ".csproj";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, project)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
