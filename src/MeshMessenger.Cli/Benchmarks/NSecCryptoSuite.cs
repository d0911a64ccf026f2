using NSec.Cryptography;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>NSec.Cryptography, a .NET API over libsodium's native C and assembly: the speed ceiling on a host.</summary>
public sealed class NSecCryptoSuite : CryptoSuite, IDisposable
{
    private readonly BenchmarkInputs _in;
    private readonly Key _signingKey;
    private readonly Key _agreementKey;
    private readonly PublicKey _peerPublic;
    private readonly Key _aeadKey;
    private readonly byte[] _signature = new byte[64];
    private readonly byte[] _sealed;
    private readonly byte[] _opened;
    private readonly byte[] _sealScratch = new byte[216];
    private readonly byte[] _fixedNonce = new byte[12];
    private readonly byte[] _digest = new byte[64];
    private ulong _counter;

    public NSecCryptoSuite(BenchmarkInputs inputs)
    {
        _in = inputs;
        _signingKey = Key.Import(SignatureAlgorithm.Ed25519, _in.SigningSeed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        _agreementKey = Key.Import(KeyAgreementAlgorithm.X25519, _in.AgreementPrivateKey, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        using var peer = Key.Import(KeyAgreementAlgorithm.X25519, _in.PeerAgreementPrivateKey, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        _peerPublic = peer.PublicKey;
        _aeadKey = Key.Import(AeadAlgorithm.ChaCha20Poly1305, _in.AeadKey, KeyBlobFormat.RawSymmetricKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        _sealed = new byte[_in.Message.Length + 16];
        _opened = new byte[_in.Message.Length];
        SignatureAlgorithm.Ed25519.Sign(_signingKey, _in.Message, _signature);
        AeadAlgorithm.ChaCha20Poly1305.Encrypt(_aeadKey, _fixedNonce, _in.Associated, _in.Message, _sealed);
    }

    public override string Name => "NSec (libsodium)";

    public override Action Operation(string operation) => operation switch
    {
        Sign => () => SignatureAlgorithm.Ed25519.Sign(_signingKey, _in.Message, _signature),
        Verify => () => Check(SignatureAlgorithm.Ed25519.Verify(_signingKey.PublicKey, _in.Message, _signature)),
        Agree => () => KeyAgreementAlgorithm.X25519.Agree(_agreementKey, _peerPublic)?.Dispose(),
        Seal => () => AeadAlgorithm.ChaCha20Poly1305.Encrypt(_aeadKey, NextNonce(ref _counter), _in.Associated, _in.Message, _sealScratch),
        Open => () => Check(AeadAlgorithm.ChaCha20Poly1305.Decrypt(_aeadKey, _fixedNonce, _in.Associated, _sealed, _opened)),
        Hash => () => HashAlgorithm.Sha512.Hash(_in.HashInput, _digest),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
    };

    public override void SelfCheck()
    {
        if (!SignatureAlgorithm.Ed25519.Verify(_signingKey.PublicKey, _in.Message, _signature))
        {
            throw new InvalidOperationException("NSec Ed25519 rejected its own signature");
        }

        AeadAlgorithm.ChaCha20Poly1305.Encrypt(_aeadKey, _fixedNonce, _in.Associated, _in.Message, _sealed);
        if (!AeadAlgorithm.ChaCha20Poly1305.Decrypt(_aeadKey, _fixedNonce, _in.Associated, _sealed, _opened)
            || !_opened.AsSpan().SequenceEqual(_in.Message))
        {
            throw new InvalidOperationException("NSec ChaCha20-Poly1305 did not round-trip");
        }

        using SharedSecret secret = KeyAgreementAlgorithm.X25519.Agree(_agreementKey, _peerPublic)
            ?? throw new InvalidOperationException("NSec X25519 produced an all-zero secret");
    }

    public void Dispose()
    {
        _signingKey.Dispose();
        _agreementKey.Dispose();
        _aeadKey.Dispose();
    }
}
