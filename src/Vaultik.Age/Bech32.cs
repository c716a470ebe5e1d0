namespace Vaultik.Age;

/// <summary>BIP 173 Bech32 (not Bech32m), as age uses it for keys; no length limit, single-case only.</summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        var lower = hrp.ToLowerInvariant();
        var values = ConvertBits(data, 8, 5, pad: true)!;
        var checksum = Checksum(lower, values);
        var chars = new char[lower.Length + 1 + values.Count + 6];
        lower.CopyTo(chars);
        chars[lower.Length] = '1';
        var i = lower.Length + 1;
        foreach (var v in values.Concat(checksum))
        {
            chars[i++] = Charset[v];
        }

        var text = new string(chars);
        return hrp.Any(char.IsAsciiLetterUpper) ? text.ToUpperInvariant() : text;
    }

    /// <summary>Decodes and checks the checksum; null for any malformed or mixed-case input.</summary>
    public static (string Hrp, byte[] Data)? Decode(string text)
    {
        if (text.Any(char.IsAsciiLetterUpper) && text.Any(char.IsAsciiLetterLower))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || separator + 7 > lower.Length)
        {
            return null;
        }

        var hrp = lower[..separator];
        if (hrp.Any(c => c is < (char)33 or > (char)126))
        {
            return null;
        }

        var values = new List<byte>(lower.Length - separator - 1);
        foreach (var c in lower[(separator + 1)..])
        {
            var v = Charset.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                return null;
            }

            values.Add((byte)v);
        }

        if (Polymod(ExpandHrp(hrp).Concat(values)) != 1)
        {
            return null;
        }

        var data = ConvertBits(values.Take(values.Count - 6).ToArray(), 5, 8, pad: false);
        return data is null ? null : (hrp, data.ToArray());
    }

    private static List<byte>? ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var result = new List<byte>();
        var maxv = (1 << to) - 1;
        foreach (var value in data)
        {
            if (value >> from != 0)
            {
                return null;
            }

            acc = (acc << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & maxv));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (to - bits)) & maxv));
            }
        }
        else if (bits >= from || ((acc << (to - bits)) & maxv) != 0)
        {
            return null;
        }

        return result;
    }

    private static byte[] Checksum(string hrp, List<byte> values)
    {
        var mod = Polymod(ExpandHrp(hrp).Concat(values).Concat(new byte[6])) ^ 1;
        var checksum = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            checksum[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        }

        return checksum;
    }

    private static IEnumerable<byte> ExpandHrp(string hrp) =>
        hrp.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(hrp.Select(c => (byte)(c & 31)));

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= Generator[i];
                }
            }
        }

        return chk;
    }
}
