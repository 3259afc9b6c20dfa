@testable import MotCua
import Testing
@Test func placeholderBuild() { #expect(!MotCuaVersion.string.isEmpty) }
