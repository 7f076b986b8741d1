import Foundation
import Synchronization

/// Decoded object records by the file they describe (device, inode, size, modification time),
/// bounded: at most 4,096, dropped all at once when full.
final class RecordCache: Sendable {
    private struct Key: Hashable {
        let identity: [UInt64]
        let size: Int64
        let modified: Double
    }

    private let records = Mutex<[Key: ObjectRecord]>([:])

    func record(for stat: FileStat) -> ObjectRecord? {
        let key = Key(identity: stat.identity, size: stat.size, modified: stat.modified.timeIntervalSince1970)
        return records.withLock { $0[key] }
    }

    func keep(_ record: ObjectRecord, for stat: FileStat) {
        let key = Key(identity: stat.identity, size: stat.size, modified: stat.modified.timeIntervalSince1970)
        records.withLock { records in
            if records.count >= 4096 { records.removeAll(keepingCapacity: true) }
            records[key] = record
        }
    }
}
