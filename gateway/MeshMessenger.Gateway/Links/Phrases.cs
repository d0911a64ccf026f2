namespace MeshMessenger.Gateway.Links;

/// <summary>What the emulated devices say: everyday messages of a village without internet, so the web app shows something real-looking.</summary>
internal static class Phrases
{
    public static readonly string[] Direct =
    [
        "Are you coming to the market tomorrow?", "The road to the river is open again.", "Can you bring the spare battery?",
        "Water pump works now, thanks!", "Meet at the school at 5?", "Got your message, all fine here.",
        "Do you need anything from town?", "The bus is late again.", "Grandma says hello.", "Solar panel is charging well today.",
    ];

    public static readonly string[] Channel =
    [
        "Clinic open until 4 today.", "Rain expected tonight, cover the crops.", "Lost goat near the old well, brown with a white ear.",
        "Generator fuel arrives on Thursday.", "Football match Saturday at the field.", "Bridge repair done, trucks can pass.",
    ];

    public static readonly string[] Public =
    [
        "Market prices: maize steady, beans up a little.", "The community radio is back on air.", "New relay node on the water tower!",
        "School term starts next week.", "Clean water point open by the church.",
    ];
}
