"""The demo's sample people and activities, and the generated year of coordination behind `phoihop sample-data`."""
