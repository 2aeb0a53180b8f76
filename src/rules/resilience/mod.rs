pub mod cascading_fan_out;
pub mod unbounded_agent_loop;
pub mod unlimited_untrusted_volume;
