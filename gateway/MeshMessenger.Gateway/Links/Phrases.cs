namespace MeshMessenger.Gateway.Links;

/// <summary>
/// What the emulated devices say: everyday messages of a village without internet, so the web app shows something
/// real-looking. <see cref="Pick"/> never says the same line twice in a row from one list.
/// </summary>
internal static class Phrases
{
    public static readonly string[] Direct =
    [
        "Are you coming to the market tomorrow?", "The road to the river is open again.", "Can you bring the spare battery?",
        "Water pump works now, thanks!", "Meet at the school at 5?", "Got your message, all fine here.",
        "Do you need anything from town?", "The bus is late again.", "Grandma says hello.", "Solar panel is charging well today.",
        "Can I borrow your ladder on Sunday?", "The goats got out again, seen them?", "I left the key under the blue pot.",
        "Rice is ready, come eat.", "How is your knee today?", "Tell Musa the bicycle is fixed.",
        "I'll be late, the ferry waited for the mail.", "Did the seeds arrive?", "Thanks for the honey!",
        "Can you charge my phone at your place?", "The nurse comes Wednesday, not Tuesday.", "Back from the fields in an hour.",
        "Let's fix the fence together tomorrow morning.", "Your parcel is at the shop.", "Kids walked home with the teacher.",
    ];

    public static readonly string[] Channel =
    [
        "Clinic open until 4 today.", "Rain expected tonight, cover the crops.", "Lost goat near the old well, brown with a white ear.",
        "Generator fuel arrives on Thursday.", "Football match Saturday at the field.", "Bridge repair done, trucks can pass.",
        "Choir practice moved to the church hall.", "Borehole queue is short right now.", "Vaccination day for children next Monday.",
        "Who has a spare tyre for a motorbike?", "The mill is grinding again after lunch.", "Elders meet at the big tree at sunset.",
        "Fresh fish at the landing this morning.", "Power from the mini-grid back on.", "Volunteers needed to clear the drain on Friday.",
    ];

    public static readonly string[] Public =
    [
        "Market prices: maize steady, beans up a little.", "The community radio is back on air.", "New relay node on the water tower!",
        "School term starts next week.", "Clean water point open by the church.", "Road to town is muddy, go slowly.",
        "Second relay up on the hill: coverage reaches the farms now.", "Cooperative meeting: bring your harvest figures.",
        "Mobile library visits on Thursday.", "Tomato prices down after a big harvest.", "Weather: dry and windy for three days.",
    ];

    private static readonly Dictionary<string[], int> LastPicked = [];

    /// <summary>A random line of <paramref name="phrases"/>, never the one this list gave last time.</summary>
    public static string Pick(string[] phrases, Random random)
    {
        lock (LastPicked)
        {
            int last = LastPicked.GetValueOrDefault(phrases, -1);
            int index = random.Next(phrases.Length - (last >= 0 ? 1 : 0));
            if (last >= 0 && index >= last)
            {
                index++; // skip the previous line: uniform over the others
            }

            LastPicked[phrases] = index;
            return phrases[index];
        }
    }
}
