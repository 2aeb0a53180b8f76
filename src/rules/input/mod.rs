pub mod lethal_trifecta;
pub mod memory_poisoning;
pub mod untrusted_input_to_action;
