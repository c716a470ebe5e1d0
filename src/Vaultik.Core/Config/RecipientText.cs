using System.Diagnostics.CodeAnalysis;
using Vaultik.Age;

namespace Vaultik.Core.Config;

/// <summary>
/// Parses a recipient given as text (config <c>age_recipients</c>, <c>init --recipient</c>): an X25519 key
/// (<c>age1…</c>) or a hybrid post-quantum one (<c>age1pq1…</c>). A private key (<c>AGE-SECRET-KEY-1…</c>,
/// <c>AGE-SECRET-KEY-PQ-1…</c>) where a public key belongs is refused with a reason that never repeats it, so
/// the secret does not end up in a terminal, a log or a CI transcript.
/// </summary>
public static class RecipientText
{
    /// <summary>The start of an age identity's text form (X25519 and post-quantum alike).</summary>
    public const string PrivateKeyPrefix = "AGE-SECRET-KEY-";

    /// <summary>The start of a hybrid post-quantum recipient's text form.</summary>
    public const string PostQuantumPrefix = "age1pq1";

    /// <summary>True when <paramref name="text"/> holds an age private key anywhere (whatever its case or validity).</summary>
    public static bool ContainsPrivateKey(string text) => text.Contains(PrivateKeyPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <paramref name="text"/>; on failure <paramref name="reason"/> says why, quoting the text only
    /// when it is not a private key.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out IRecipient? recipient, [NotNullWhen(false)] out string? reason)
    {
        reason = null;
        if (ContainsPrivateKey(text))
        {
            recipient = null;
            reason = $"it is a private key ({PrivateKeyPrefix}…); give its public key, age1… or age1pq1… (vaultik keygen prints it)";
            return false;
        }

        if (IsPostQuantum(text))
        {
            recipient = MlKem768X25519Recipient.TryParse(text, out var pq) ? pq : null;
        }
        else
        {
            recipient = X25519Recipient.TryParse(text, out var classic) ? classic : null;
        }

        if (recipient is not null)
        {
            return true;
        }

        reason = IsPostQuantum(text)
            ? $"'{text}' is not a valid age post-quantum public key (age1pq1…)"
            : $"'{text}' is not a valid age X25519 public key (age1…)";
        return false;
    }

    /// <summary>True for the text form of a hybrid post-quantum recipient, which age refuses to mix with classic ones.</summary>
    public static bool IsPostQuantum(string text) => text.StartsWith(PostQuantumPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Null when <paramref name="recipients"/> may encrypt one store together, else why not: post-quantum and
    /// classic recipients are never mixed, or every file would still be open to whoever breaks X25519.
    /// </summary>
    public static string? MixingProblem(IEnumerable<string> recipients)
    {
        var kinds = recipients.Select(IsPostQuantum).Distinct().Count();
        return kinds > 1
            ? "post-quantum (age1pq1…) and classic (age1…) recipients cannot be mixed, or the backups would be open to a quantum computer"
            : null;
    }

    /// <summary>Parses <paramref name="text"/> or throws a <see cref="ConfigurationException"/> "cannot use <paramref name="what"/>: …".</summary>
    public static IRecipient Parse(string text, string what) =>
        TryParse(text, out var recipient, out var reason) ? recipient : throw new ConfigurationException($"cannot use {what}: {reason}");
}
