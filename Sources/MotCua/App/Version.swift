public enum MotCuaVersion { public static let string = "0.1.0" }
