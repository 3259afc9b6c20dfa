// The module grid of a QR code while it is built: function patterns, data placement, masks and their penalty.
// Our own code, with QRCode.swift (see the reason there).

struct QRMatrix {
    let version: Int
    let size: Int
    /// Row-major, `true` for dark.
    private(set) var cells: [Bool]
    /// Finder, separator, timing, alignment, format and version modules: never masked, never data.
    private var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        cells = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
    }

    var modules: [[Bool]] { (0..<size).map { row in Array(cells[row * size..<(row + 1) * size]) } }

    private mutating func setFunction(column: Int, row: Int, _ dark: Bool) {
        cells[row * size + column] = dark
        isFunction[row * size + column] = true
    }

    mutating func drawFunctionPatterns() {
        for i in 0..<size {
            setFunction(column: 6, row: i, i % 2 == 0)
            setFunction(column: i, row: 6, i % 2 == 0)
        }
        for (column, row) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 where (0..<size).contains(column + dx) && (0..<size).contains(row + dy) {
                    let distance = max(abs(dx), abs(dy))
                    setFunction(column: column + dx, row: row + dy, distance != 2 && distance != 4)
                }
            }
        }
        let positions = QRTables.alignmentPositions(version)
        let last = positions.count - 1
        for i in positions.indices {
            for j in positions.indices where !(i == 0 && j == 0) && !(i == 0 && j == last) && !(i == last && j == 0) {
                for dy in -2...2 {
                    for dx in -2...2 {
                        setFunction(column: positions[i] + dx, row: positions[j] + dy, max(abs(dx), abs(dy)) != 1)
                    }
                }
            }
        }
        // Reserve the format areas (drawn for real once the mask is known) and draw the version blocks.
        drawFormatBits(level: .medium, mask: 0)
        if version >= 7 {
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = version << 12 | remainder
            for i in 0..<18 {
                let dark = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3
                let b = i / 3
                setFunction(column: a, row: b, dark)
                setFunction(column: b, row: a, dark)
            }
        }
    }

    mutating func drawFormatBits(level: QRCode.ErrorCorrection, mask: Int) {
        let data = level.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { setFunction(column: 8, row: i, bit(i)) }
        setFunction(column: 8, row: 7, bit(6))
        setFunction(column: 8, row: 8, bit(7))
        setFunction(column: 7, row: 8, bit(8))
        for i in 9..<15 { setFunction(column: 14 - i, row: 8, bit(i)) }
        for i in 0..<8 { setFunction(column: size - 1 - i, row: 8, bit(i)) }
        for i in 8..<15 { setFunction(column: 8, row: size - 15 + i, bit(i)) }
        setFunction(column: 8, row: size - 8, true)
    }

    /// Places the codewords in the two-module-wide zigzag from the bottom right (7.7.3).
    mutating func drawCodewords(_ codewords: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<size {
                let row = upward ? size - 1 - vertical : vertical
                for j in 0..<2 {
                    let index = row * size + right - j
                    if !isFunction[index] && i < codewords.count * 8 {
                        cells[index] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1
                        i += 1
                    }
                }
            }
            right -= 2
        }
    }

    static func maskCondition(_ mask: Int, row y: Int, column x: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && QRMatrix.maskCondition(mask, row: y, column: x) {
                cells[y * size + x].toggle()
            }
        }
    }

    /// The penalty of the symbol with `mask` and its format bits (8.8.2): N1 = 3, N2 = 3, N3 = 40, N4 = 10.
    func penalty(mask: Int, level: QRCode.ErrorCorrection) -> Int {
        var masked = self
        masked.applyMask(mask)
        masked.drawFormatBits(level: level, mask: mask)
        return masked.penalty()
    }

    func penalty() -> Int {
        var result = 0
        // N2: each 2×2 block of one colour.
        for y in 1..<size {
            for x in 1..<size {
                let a = cells[y * size + x]
                if a == cells[y * size + x - 1] && a == cells[(y - 1) * size + x] && a == cells[(y - 1) * size + x - 1] {
                    result += 3
                }
            }
        }
        // N1 and N3 on every row and column.
        for line in 0..<size {
            result += QRMatrix.runPenalty((0..<size).map { cells[line * size + $0] })
            result += QRMatrix.runPenalty((0..<size).map { cells[$0 * size + line] })
        }
        // N4: 10 for each full 5 % that the share of dark modules is away from 50 %.
        let dark = cells.count(where: { $0 })
        let total = size * size
        let percent = (200 * dark + total) / total / 2
        result += abs(percent - 50) / 5 * 10
        return result
    }

    /// N1 (runs of five or more) and N3 (1:1:3:1:1 dark:light:dark:light:dark with four light beside it) of one line.
    /// Runs alternate light, dark, … from index 0; a line that starts dark gets a light run of -1 first, which
    /// stands for the quiet zone.
    static func runPenalty(_ line: [Bool]) -> Int {
        var runs: [Int] = line[0] ? [-1, 1] : [1]
        for i in 1..<line.count {
            if line[i] != line[i - 1] { runs.append(1) } else { runs[runs.count - 1] += 1 }
        }
        var result = 0
        for i in runs.indices {
            if runs[i] >= 5 { result += 3 + runs[i] - 5 }
            guard i % 2 == 1, i >= 3, i < runs.count - 2, runs[i] % 3 == 0 else { continue }
            let unit = runs[i] / 3
            guard runs[i - 2] == unit, runs[i - 1] == unit, runs[i + 1] == unit, runs[i + 2] == unit else { continue }
            if i == 3 || runs[i - 3] >= 4 * unit || i + 4 >= runs.count || runs[i + 3] >= 4 * unit {
                result += 40
            }
        }
        return result
    }
}
