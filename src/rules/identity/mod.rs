pub mod shared_identity;
