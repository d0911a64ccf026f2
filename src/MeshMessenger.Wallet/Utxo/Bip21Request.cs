using System.Collections.Generic;
using System.Numerics;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// A BIP-21 payment request: the URI scheme ("bitcoin" or "litecoin"), the address text as written, an optional amount
/// in base units (satoshis, litoshis), label and message (percent-decoded), and the parameters this reader does not
/// know but may ignore (BIP-21: those without the "req-" prefix).
/// </summary>
public sealed record Bip21Request(string Scheme, string Address, BigInteger? Amount, string? Label, string? Message, IReadOnlyDictionary<string, string> Other);
