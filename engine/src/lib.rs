//! Qinglang moderation engine (being built).
