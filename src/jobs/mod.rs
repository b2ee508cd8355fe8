//! Side effects that run in the background: `go` child processes and in-process hashing.
//! Each job reports typed, id-tagged [`JobEvent`]s on one channel; it knows nothing of the UI.
