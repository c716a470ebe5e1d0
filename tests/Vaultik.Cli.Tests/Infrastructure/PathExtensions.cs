namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>Small helpers for building test trees from paths.</summary>
internal static class PathExtensions
{
    /// <summary>Runs <paramref name="action"/> on the path's directory and returns the path (test tree set-up).</summary>
    public static string Also(this string path, Func<string, DirectoryInfo> action)
    {
        action(Path.GetDirectoryName(path)!);
        return path;
    }
}
