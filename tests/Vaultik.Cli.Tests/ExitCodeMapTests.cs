using Vaultik.Core;
using Vaultik.Core.Locking;
using Vaultik.Core.Storage;

namespace Vaultik.Cli.Tests;

/// <summary>Core reports kinds; the CLI's one mapping turns them into the documented codes.</summary>
public sealed class ExitCodeMapTests
{
    public static TheoryData<Exception, int> Errors() => new()
    {
        { new ConfigurationException("cannot use x: bad"), 2 },
        { new LockHeldException("cannot lock store: held"), 4 },
        { new CorruptDataException("cannot read blob: damaged"), 1 },
        { new StorageException("cannot reach store: refused"), 1 },
        { new VaultikException("cannot find snapshot: none"), 1 },
        { new IOException("disk full"), 1 },
        { new Vaultik.Age.AgeException("cannot read key file: bad"), 1 },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Error_kinds_map_to_the_documented_codes(Exception error, int code) =>
        Assert.Equal(code, ExitCodeMap.For(error));

    [Fact]
    public void Every_exit_code_is_documented_in_the_help()
    {
        var documented = VaultikApp.ExitCodeHelp.Split('\n')
            .Select(line => line.Trim().Split(' ')[0])
            .Where(word => word.Length > 0 && char.IsAsciiDigit(word[0]))
            .Select(int.Parse)
            .ToHashSet();
        var defined = typeof(ExitCodes).GetFields().Select(f => (int)f.GetRawConstantValue()!).ToHashSet();
        Assert.Equal(defined.Order(), documented.Order());
    }
}
