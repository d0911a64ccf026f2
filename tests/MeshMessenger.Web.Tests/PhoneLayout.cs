using Microsoft.Playwright;

namespace MeshMessenger.Web.Tests;

/// <summary>What "fits a phone" means in these tests: at 390 px wide nothing scrolls sideways or sticks out, and the tab bar is on screen.</summary>
public static class PhoneLayout
{
    /// <summary>The phone width the tests use (an iPhone 12 to 15 in CSS pixels).</summary>
    public const int Width = 390;

    // Every rendered element's right edge; clipped (visually hidden) elements and the skip link are off-screen by design.
    private const string Check = """
        (width) => {
          const bad = [];
          const scroll = document.scrollingElement.scrollWidth;
          if (scroll > width) bad.push(`page scrollWidth ${scroll}`);
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (r.right <= width + 0.5) continue;
            if (r.right <= 0) continue;
            const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : '');
            bad.push(`${name} right=${Math.round(r.right)}`);
          }
          const tabs = document.querySelector('.tabs').getBoundingClientRect();
          if (tabs.top < 0 || tabs.bottom > window.innerHeight + 0.5 || tabs.height === 0) bad.push(`tab bar off screen (${Math.round(tabs.top)}..${Math.round(tabs.bottom)} of ${window.innerHeight})`);
          return bad.slice(0, 12);
        }
        """;

    /// <summary>Fails with the offending elements unless the page fits <see cref="Width"/>.</summary>
    public static async Task AssertFitsAsync(IPage page, string where)
    {
        string[] bad = await page.EvaluateAsync<string[]>(Check, Width);
        Assert.True(bad.Length == 0, $"{where}: {string.Join("; ", bad)}");
    }
}
