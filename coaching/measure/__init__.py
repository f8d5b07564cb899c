"""What a face and its light measure: landmarks to measurements, light, sharpness, flags, the house
meter, crops and style profiles."""
