// These tests run Debian's Mosquitto, anvil and gateway processes, and set Unix file modes: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
