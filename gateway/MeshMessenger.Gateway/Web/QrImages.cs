using QRCoder;

namespace MeshMessenger.Gateway.Web;

/// <summary>QR codes of contact cards and device bundles (QRCoder), error correction M: readable from a phone screen at arm's length.</summary>
public static class QrImages
{
    /// <summary>An SVG drawing of <paramref name="text"/>'s QR code, dark on white with a quiet zone.</summary>
    public static string Svg(string text)
    {
        using QRCodeData data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(6);
    }

    /// <summary>A PNG of <paramref name="text"/>'s QR code (to save, print or upload).</summary>
    public static byte[] Png(string text)
    {
        using QRCodeData data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }
}
