using System.Numerics;
using MeshMessenger.Anchoring.Ethereum;
using Nethereum.RLP;

namespace MeshMessenger.Anchoring.Tests;

/// <summary>Keccak-256, RLP (Nethereum's, which the transactions use), addresses and transactions against the EIPs' own vectors (data files in tests/vectors/ethereum).</summary>
public sealed class EthereumTests
{
    [Fact]
    public void Keccak256_matches_the_execution_specs_constants_and_is_not_SHA3()
    {
        Assert.Equal(3, VectorFile.Lines("keccak256.txt").Count());
        foreach (string line in VectorFile.Lines("keccak256.txt"))
        {
            var (input, digest) = VectorFile.Pair(line);
            Assert.Equal(digest, Convert.ToHexStringLower(Keccak256.Hash(Convert.FromHexString(input))));
        }

        Assert.NotEqual("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", Convert.ToHexStringLower(Keccak256.Hash([])));
    }

    [Theory]
    [InlineData("", "80")]
    [InlineData("00", "00")]
    [InlineData("7f", "7f")]
    [InlineData("80", "8180")]
    [InlineData("646f67", "83646f67")] // "dog", the yellow paper's example
    public void Rlp_encodes_byte_strings_by_the_yellow_paper(string input, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(RLP.EncodeElement(Convert.FromHexString(input))));

    [Fact]
    public void Rlp_encodes_integers_minimally_and_long_strings_and_lists_with_length_of_length()
    {
        Assert.Equal("80", Convert.ToHexStringLower(RLP.EncodeElement(BigInteger.Zero.ToBytesForRLPEncoding())));
        Assert.Equal("0f", Convert.ToHexStringLower(RLP.EncodeElement(new BigInteger(15).ToBytesForRLPEncoding())));
        Assert.Equal("820400", Convert.ToHexStringLower(RLP.EncodeElement(new BigInteger(1024).ToBytesForRLPEncoding())));
        Assert.Equal("c0", Convert.ToHexStringLower(RLP.EncodeList()));
        Assert.Equal("c88363617483646f67", Convert.ToHexStringLower(RLP.EncodeList(RLP.EncodeElement("cat"u8.ToArray()), RLP.EncodeElement("dog"u8.ToArray())))); // ["cat", "dog"]
        byte[] lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit"u8.ToArray(); // 56 bytes: the first long string
        Assert.Equal("b838" + Convert.ToHexStringLower(lorem), Convert.ToHexStringLower(RLP.EncodeElement(lorem)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Eip1559Transaction(1, -1, 0, 0, 21000, null, 0, []).SigningPayload()); // Nethereum would encode it
        Assert.Throws<ArgumentOutOfRangeException>(() => new LegacyTransaction(0, 0, 21000, null, -1, [], 1).Sign(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()));
    }

    [Fact]
    public void The_EIP_155_example_transaction_is_reproduced_byte_for_byte()
    {
        Dictionary<string, string> v = VectorFile.Sections("eip155.txt")[""];
        EthereumAddress.TryParse(v["to"], out EthereumAddress? to, out _);
        var tx = new LegacyTransaction(BigInteger.Parse(v["nonce"]), BigInteger.Parse(v["gasPrice"]), BigInteger.Parse(v["gas"]), to, BigInteger.Parse(v["value"]), [], BigInteger.Parse(v["chainId"]));
        Assert.Equal(v["signingData"], Convert.ToHexStringLower(tx.SigningPayload()));
        Assert.Equal(v["signingHash"], Convert.ToHexStringLower(Keccak256.Hash(tx.SigningPayload())));

        byte[] key = Convert.FromHexString(v["privateKey"]);
        SignedTransaction signed = tx.Sign(key);
        Assert.Equal(v["signed"], Convert.ToHexStringLower(signed.Raw));

        EcdsaSignature signature = Secp256k1.Sign(key, Keccak256.Hash(tx.SigningPayload()));
        Assert.Equal(v["r"], signature.R.ToString());
        Assert.Equal(v["s"], signature.S.ToString());
        Assert.Equal(int.Parse(v["v"]), signature.RecoveryId + 35 + 2);
    }

    [Fact]
    public void Every_EIP_55_example_round_trips_and_a_wrong_checksum_is_refused()
    {
        Assert.Equal(8, VectorFile.Lines("eip55.txt").Count());
        foreach (string address in VectorFile.Lines("eip55.txt"))
        {
            Assert.True(EthereumAddress.TryParse(address, out EthereumAddress? parsed, out string? error), error);
            bool uniformCase = address[2..] == address[2..].ToLowerInvariant() || address[2..] == address[2..].ToUpperInvariant();
            if (!uniformCase)
            {
                Assert.Equal(address, parsed!.ToString());
            }
        }

        Assert.False(EthereumAddress.TryParse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", out _, out string? why)); // last letter's case flipped
        Assert.Contains("EIP-55 checksum", why);
        Assert.False(EthereumAddress.TryParse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", out _, out _));
    }

    [Fact]
    public void Private_keys_give_the_dev_accounts_addresses()
    {
        Assert.Equal(2, VectorFile.Lines("keys.txt").Count());
        foreach (string line in VectorFile.Lines("keys.txt"))
        {
            var (key, address) = VectorFile.Pair(line);
            Assert.Equal(address, EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(Convert.FromHexString(key))).ToString());
        }
    }

    [Theory]
    [InlineData("anchor")]
    [InlineData("transfer")]
    public void Type_2_transactions_match_the_independently_computed_ones(string name)
    {
        Dictionary<string, string> v = VectorFile.Sections("eip1559-computed.txt")[name];
        EthereumAddress.TryParse(v["to"], out EthereumAddress? to, out _);
        var tx = new Eip1559Transaction(BigInteger.Parse(v["chainId"]), BigInteger.Parse(v["nonce"]), BigInteger.Parse(v["maxPriorityFeePerGas"]), BigInteger.Parse(v["maxFeePerGas"]), BigInteger.Parse(v["gas"]), to, BigInteger.Parse(v["value"]), Convert.FromHexString(v["data"]));
        if (v.TryGetValue("signingHash", out string? signingHash))
        {
            Assert.Equal(signingHash, Convert.ToHexStringLower(Keccak256.Hash(tx.SigningPayload())));
        }

        SignedTransaction signed = tx.Sign(Convert.FromHexString(v["privateKey"]));
        Assert.Equal(v["raw"], Convert.ToHexStringLower(signed.Raw));
        Assert.Equal(v["hash"], Convert.ToHexStringLower(signed.Hash));
    }

    [Fact]
    public void Signatures_are_low_s_and_recover_the_signer()
    {
        byte[] key = Convert.FromHexString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        for (int i = 0; i < 200; i++)
        {
            byte[] hash = Keccak256.Hash(BitConverter.GetBytes(i));
            EcdsaSignature signature = Secp256k1.Sign(key, hash);
            Assert.True(signature.S.CompareTo(Secp256k1.HalfN) <= 0);
            Assert.Equal(Secp256k1.PublicKeyOf(key), Secp256k1.Recover(hash, signature));
            Assert.True(Secp256k1.Verify(Secp256k1.PublicKeyOf(key), hash, signature.R, signature.S, requireLowS: true));
            Assert.NotEqual(Secp256k1.PublicKeyOf(key), Secp256k1.Recover(hash, signature with { RecoveryId = signature.RecoveryId ^ 1 }));
        }
    }
}
