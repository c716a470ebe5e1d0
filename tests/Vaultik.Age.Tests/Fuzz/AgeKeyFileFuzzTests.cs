using System.Text;
using Vaultik.Tests.Fuzz;

namespace Vaultik.Age.Tests.Fuzz;

/// <summary>Identity files (AgeKeyFile.Parse, hence X25519Identity.Parse and Bech32) and recipient strings on mutated text.</summary>
public sealed class AgeKeyFileFuzzTests
{
    private static readonly FuzzTarget KeyFile = new("age-keyfile", input => AgeKeyFile.Parse(new StringReader(Encoding.UTF8.GetString(input))), typeof(AgeException));

    private static readonly FuzzTarget Recipient = new("age-recipient", ParseRecipient, typeof(FormatException));

    private static readonly IReadOnlyList<byte[]> KeyFiles =
    [
        FuzzFiles.CorpusFile("age-keyfile", "keygen.txt", () => Encoding.UTF8.GetBytes(
            $"# created: 2026-01-01T00:00:00Z\n# public key: {FuzzKeys.Identity.Recipient}\n{FuzzKeys.Identity}\n")),
        FuzzFiles.CorpusFile("age-keyfile", "two-keys.txt", () => Encoding.UTF8.GetBytes($"\n  {FuzzKeys.Identity}  \r\n# comment\n{FuzzKeys.Other}\n")),
    ];

    public static IEnumerable<object[]> KeyFileRegressions => FuzzFiles.RegressionNames(KeyFile.Parser);

    public static IEnumerable<object[]> RecipientRegressions => FuzzFiles.RegressionNames(Recipient.Parser);

    private static void ParseRecipient(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var parsed = X25519Recipient.TryParse(text, out var recipient);
        Assert.Equal(parsed, recipient is not null);
        X25519Recipient.Parse(text);
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_identity_files_fail_only_as_age_errors()
    {
        await Task.Yield();
        FuzzRun.Run(KeyFile, KeyFiles, seed: 5, iterations: 20_000);
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_recipients_fail_only_as_format_errors()
    {
        await Task.Yield();
        byte[][] corpus = [Encoding.UTF8.GetBytes(FuzzKeys.Identity.Recipient.ToString()), Encoding.UTF8.GetBytes(FuzzKeys.Other.Recipient.ToString())];
        FuzzRun.Run(Recipient, corpus, seed: 6, iterations: 20_000);
    }

    [Theory]
    [MemberData(nameof(KeyFileRegressions))]
    public void Saved_identity_file_keeps_its_contract(string name) => FuzzRun.Replay(KeyFile, name);

    [Theory]
    [MemberData(nameof(RecipientRegressions))]
    public void Saved_recipient_keeps_its_contract(string name) => FuzzRun.Replay(Recipient, name);
}
