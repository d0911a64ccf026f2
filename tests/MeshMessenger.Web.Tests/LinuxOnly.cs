// These tests run anvil, a gateway and Debian's chromium: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
