pub mod lethal_trifecta;
pub mod memory_poisoning;
pub mod rendered_output_to_people;
pub mod untrusted_input_to_action;
