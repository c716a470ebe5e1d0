using Vaultik.Core.Source;

namespace Vaultik.Core.Tests.Source;

/// <summary>Exclude patterns see names in their escaped form (docs/FORMAT.md, "Names"): a backslash is part of a name, never a separator.</summary>
public sealed class ExcludeMatcherNameTests
{
    [Theory]
    [InlineData("*.log", @"d/bad\xffname.log", true)]
    [InlineData("bad*", @"d/bad\xffname.txt", true)]
    [InlineData(@"bad\xffname.txt", @"d/bad\xffname.txt", true)] // the pattern typed in the escaped form
    [InlineData(@"bad\xffname.txt", @"d/bad\\xffname.txt", false)] // the text "\xff" is another name
    [InlineData(@"bad\\xffname.txt", @"d/bad\\xffname.txt", true)]
    [InlineData("keep.txt", @"d/a\\keep.txt", false)] // "a\keep.txt" is one name, not a/keep.txt
    [InlineData("a", @"d/a\\keep.txt", false)]
    [InlineData("d/*", @"d/a\\keep.txt", true)]
    public void Patterns_match_escaped_names_as_whole_names(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, new ExcludeMatcher([pattern]).IsExcluded(path, "root/" + path, isDirectory: false));
}
