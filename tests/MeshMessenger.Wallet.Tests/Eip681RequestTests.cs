using System;
using System.Numerics;
using MeshMessenger.Wallet.Evm;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

public sealed class Eip681RequestTests
{
    [Fact]
    public void The_specifications_examples_parse_as_written_there()
    {
        var rows = Vectors.Rows("eip681.txt");
        Assert.Equal(3, rows.Count);
        foreach (string[] row in rows)
        {
            if (row[6] != "ok")
            {
                Assert.Equal(Enum.Parse<WalletError>(row[6]), Assert.Throws<WalletException>(() => Eip681Request.Parse(row[0])).Error);
                continue;
            }

            Eip681Request request = Eip681Request.Parse(row[0]);
            Assert.Equal(row[2] == "-" ? null : ulong.Parse(row[2]), request.ChainId);
            Assert.Equal(Convert.FromHexString(row[4][2..]), request.Recipient);
            Assert.Equal(BigInteger.Parse(row[5]), request.Amount);
            if (row[3] == "transfer")
            {
                Assert.Equal(Convert.FromHexString(row[1][2..]), request.Token);
            }
            else
            {
                Assert.Null(request.Token);
            }

            Eip681Request again = Eip681Request.Parse(request.ToUri());
            Assert.Equal(request.Recipient, again.Recipient);
            Assert.Equal(request.Token, again.Token);
            Assert.Equal(request.Amount, again.Amount);
        }
    }

    [Fact]
    public void Formats_ether_and_token_requests_with_chain_id()
    {
        byte[] to = EvmAddressText.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        byte[] token = EvmAddressText.Parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
        Assert.Equal("ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@31337?value=1000", new Eip681Request(to, 31337, null, 1000).ToUri());
        string uri = new Eip681Request(to, 1, token, 5).ToUri();
        Assert.Equal("ethereum:0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359@1/transfer?address=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed&uint256=5", uri);
        Eip681Request back = Eip681Request.Parse(uri);
        Assert.Equal((ulong?)1, back.ChainId);
        Assert.Equal(token, back.Token);
        Assert.Equal(to, back.Recipient);
        Assert.Equal(new BigInteger(5), back.Amount);
        Assert.Null(Eip681Request.Parse("ethereum:pay-0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").Amount);
    }

    [Theory]
    [InlineData("2.014e18", "2014000000000000000")]
    [InlineData("1e0", "1")]
    [InlineData("1e", "1")]
    [InlineData("+7", "7")]
    [InlineData(".5e1", "5")]
    [InlineData("1.50e1", "15")]
    [InlineData("1.2300e2", "123")]
    [InlineData("1e77", "100000000000000000000000000000000000000000000000000000000000000000000000000000")]
    public void Numbers_in_scientific_notation_are_exact(string number, string value) =>
        Assert.Equal(BigInteger.Parse(value), Eip681Request.Parse("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=" + number).Amount);

    [Theory]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=1.5", WalletError.InvalidAmount)] // not an integer
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=2.0145e3", WalletError.InvalidAmount)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=-1", WalletError.InvalidAmount)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=1e78", WalletError.InvalidAmount)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=1e999999999999", WalletError.InvalidAmount)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=12e77", WalletError.InvalidAmount)] // > 2^256-1
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=1.", WalletError.InvalidAmount)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=abc", WalletError.InvalidAmount)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=1&gas=x", WalletError.InvalidAmount)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value=1&value=2", WalletError.InvalidAddress)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed@x?value=1", WalletError.InvalidAddress)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed@?value=1", WalletError.InvalidAddress)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed/approve?address=0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", WalletError.InvalidAddress)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed/transfer?uint256=1", WalletError.InvalidAddress)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed/transfer?address=0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed", WalletError.BadChecksum)]
    [InlineData("ethereum:vitalik.eth?value=1", WalletError.InvalidAddress)]
    [InlineData("bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", WalletError.InvalidAddress)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea?value=1", WalletError.InvalidAddress)]
    [InlineData("ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed?value", WalletError.InvalidAddress)]
    public void Malformed_requests_are_typed_refusals(string uri, WalletError error) =>
        Assert.Equal(error, Assert.Throws<WalletException>(() => Eip681Request.Parse(uri)).Error);
}
