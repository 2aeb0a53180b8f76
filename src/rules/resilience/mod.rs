pub mod cascading_fan_out;
