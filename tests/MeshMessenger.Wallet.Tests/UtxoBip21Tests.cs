using System;
using System.Numerics;
using MeshMessenger.Wallet.Utxo;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

public sealed class UtxoBip21Tests
{
    [Fact]
    public void Bip21_examples_parse_as_the_bip_says()
    {
        int count = 0;
        foreach (string[] row in Vectors.Rows("bip21-vectors.txt"))
        {
            count++;
            if (row[0] == "invalid")
            {
                var e = Assert.Throws<WalletException>(() => Bip21.Parse(row[1]));
                Assert.Contains("req-", e.Message, StringComparison.Ordinal);
                continue;
            }

            Bip21Request request = Bip21.Parse(row[1]);
            Assert.Equal("bitcoin", request.Scheme);
            Assert.Equal(row[2], request.Address);
            Assert.Equal(row[3] == "-" ? null : BigInteger.Parse(row[3]), request.Amount);
            Assert.Equal(row[4] == "-" ? null : Uri.UnescapeDataString(row[4]), request.Label);
            Assert.Equal(row[5] == "-" ? null : Uri.UnescapeDataString(row[5]), request.Message);
            Assert.Equal(
                Bip21.Parse(Bip21.Format("bitcoin", request.Address, request.Amount, request.Label, request.Message)),
                request with { Other = request.Other.Count == 0 ? request.Other : new System.Collections.Generic.Dictionary<string, string>() },
                new SameRequest());
        }

        Assert.Equal(6, count);
    }

    [Fact]
    public void Litecoin_uri_round_trips_and_amounts_are_exact()
    {
        string uri = Bip21.Format("litecoin", "rltc1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsg7ldn", 100_000, "Mesh tip", "for post #3");
        Assert.Equal("litecoin:rltc1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsg7ldn?amount=0.001&label=Mesh%20tip&message=for%20post%20%233", uri);
        Bip21Request back = Bip21.Parse(uri);
        Assert.Equal(new BigInteger(100_000), back.Amount);
        Assert.Equal("Mesh tip", back.Label);
        Assert.Equal("for post #3", back.Message);

        Assert.Equal(BigInteger.Parse("2100000000000001"), Bip21.ParseAmount("21000000.00000001"));
        Assert.Equal(new BigInteger(50_000_000), Bip21.ParseAmount(".5"));
        Assert.Equal("0.00000001", Bip21.FormatAmount(1));
        foreach (string bad in new[] { "", ".", "1e3", "-1", "0.000000001", "1,5", " 1", "0x10" })
        {
            Assert.Equal(WalletError.InvalidAmount, Assert.Throws<WalletException>(() => Bip21.ParseAmount(bad)).Error);
        }

        Assert.Equal(WalletError.InvalidAddress, Assert.Throws<WalletException>(() => Bip21.Parse("ethereum:0xabc")).Error);
        Assert.Equal(WalletError.InvalidAddress, Assert.Throws<WalletException>(() => Bip21.Parse("bitcoin:?amount=1")).Error);
        Assert.Equal(WalletError.InvalidAmount, Assert.Throws<WalletException>(() => Bip21.Parse("bitcoin:x?amount=1&amount=2")).Error);
        Assert.Equal(WalletError.InvalidAddress, Assert.Throws<WalletException>(() => Bip21.Parse("bitcoin:x?REQ-pop=1")).Error);
    }

    private sealed class SameRequest : System.Collections.Generic.IEqualityComparer<Bip21Request>
    {
        public bool Equals(Bip21Request? x, Bip21Request? y) =>
            x is not null && y is not null && x.Scheme == y.Scheme && x.Address == y.Address && x.Amount == y.Amount && x.Label == y.Label && x.Message == y.Message;

        public int GetHashCode(Bip21Request obj) => obj.Address.GetHashCode(StringComparison.Ordinal);
    }
}
