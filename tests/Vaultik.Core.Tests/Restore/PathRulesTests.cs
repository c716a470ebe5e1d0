using Vaultik.Core.Restore;

namespace Vaultik.Core.Tests.Restore;

public sealed class PathRulesTests
{
    [Theory]
    [InlineData("home/me/a.txt")]
    [InlineData("a")]
    [InlineData("dir with spaces/ünïcödé")]
    [InlineData("..hidden/x..y")]
    public void Ordinary_relative_paths_are_accepted(string path) => Assert.Null(PathRules.Check(path));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("a/../../etc", "'..'")]
    [InlineData("..", "'..'")]
    [InlineData("a//b", "empty path component")]
    [InlineData("a/./b", "'.'")]
    [InlineData("a/b/", "empty path component")]
    [InlineData("a\0b", "NUL")]
    public void Hostile_paths_are_refused_with_a_reason(string path, string reason) =>
        Assert.Contains(reason, PathRules.Check(path));

    [Fact]
    public void Overlong_names_and_paths_are_refused()
    {
        Assert.NotNull(PathRules.Check(new string('x', 256)));
        Assert.NotNull(PathRules.Check(string.Join('/', Enumerable.Repeat(new string('x', 200), 21))));
    }

    [Theory]
    [InlineData("home/me", "home/me", true)]
    [InlineData("home/me/a", "home/me", true)]
    [InlineData("home/meat", "home/me", false)]
    [InlineData("home", "home/me", false)]
    [InlineData("anything", "", true)]
    public void Selection_matches_whole_components(string path, string selector, bool expected) =>
        Assert.Equal(expected, PathRules.IsUnder(path, selector));
}
