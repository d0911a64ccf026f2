using MeshMessenger.Gateway.Web;

namespace MeshMessenger.Gateway.Tests;

public sealed class DisplayNamesTests
{
    [Fact]
    public void Names_that_only_look_different_are_shown_with_their_node_ids()
    {
        Dictionary<uint, string> shown = DisplayNames.Distinct([(1, "Ada"), (2, "\uFF21da"), (3, "ADA"), (4, "Bo")]);
        Assert.Equal("Ada (00000001)", shown[1]);
        Assert.Equal("\uFF21da (00000002)", shown[2]); // full-width A: the same name after NFKC
        Assert.Equal("ADA (00000003)", shown[3]);
        Assert.Equal("Bo", shown[4]);
    }

    [Fact]
    public void Blank_letters_are_hidden_characters()
    {
        Assert.True(DisplayNames.HasHiddenCharacters("\u3164"));
        Assert.True(DisplayNames.HasHiddenCharacters("Ada\u115F"));
        Assert.Equal("00000009", DisplayNames.Distinct([(9, "\u3164\u3164")])[9]);
    }
}
