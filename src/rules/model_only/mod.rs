pub mod model_only_controls;
